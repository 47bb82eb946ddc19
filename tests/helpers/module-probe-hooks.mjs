// Module hooks for module-probe.mjs (they run on Node's hooks thread): one line per loaded URL.
import fs from 'node:fs';

let file = '';
export function initialize(data) {
  file = data.file;
}

export async function load(url, context, next) {
  fs.appendFileSync(file, `esm ${url}\n`);
  return next(url, context);
}
