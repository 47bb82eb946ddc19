// Runs in a pooled worker thread (pdf-workers.ts, sanitize-pdf.ts): removes what a PDF would run by
// itself, JavaScript and launch actions (issue 20 item 5). pdf.js in the viewer does not execute
// them, but the file is also downloaded and opened in desktop readers, which may. Removed: every
// action whose type runs code or leaves the document (JavaScript, Launch, ImportData, SubmitForm,
// RichMediaExecute; emptied where it is referenced, so nothing dangles), additional-action triggers
// (/AA) anywhere, /JS entries, and the document-level JavaScript name tree. A file with none of
// them is left as it is (no rewrite). Plain JS so it runs under tsx, vitest and plain node alike.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream } from 'pdf-lib';

const UNSAFE_ACTIONS = new Set(['JavaScript', 'Launch', 'ImportData', 'SubmitForm', 'RichMediaExecute']);
const S = PDFName.of('S');
const DROP_KEYS = [PDFName.of('AA'), PDFName.of('JS'), PDFName.of('JavaScript')];

/** Cleans `obj` and what it holds directly (indirect objects are visited on their own); true if changed. */
function clean(obj, seen) {
  if (obj instanceof PDFStream) return clean(obj.dict, seen);
  if (seen.has(obj)) return false;
  if (obj instanceof PDFArray) {
    seen.add(obj);
    let changed = false;
    for (let i = 0; i < obj.size(); i++) changed = clean(obj.get(i), seen) || changed;
    return changed;
  }
  if (!(obj instanceof PDFDict)) return false;
  seen.add(obj);
  const s = obj.get(S);
  if (s instanceof PDFName && UNSAFE_ACTIONS.has(s.decodeText())) {
    for (const key of obj.keys()) obj.delete(key);
    return true;
  }
  let changed = false;
  for (const key of DROP_KEYS)
    if (obj.has(key)) {
      obj.delete(key);
      changed = true;
    }
  for (const [, value] of obj.entries()) changed = clean(value, seen) || changed;
  return changed;
}

async function sanitize({ path, outPath }) {
  const bytes = await readFile(path);
  const doc = await PDFDocument.load(bytes, { ignoreEncryption: false, updateMetadata: false, throwOnInvalidObject: false });
  const seen = new Set();
  let changed = false;
  for (const [, obj] of doc.context.enumerateIndirectObjects()) changed = clean(obj, seen) || changed;
  changed = clean(doc.catalog, seen) || changed;
  if (!changed) return { ok: true, changed: false };
  const out = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  await writeFile(outPath, out, { flag: 'wx' });
  return { ok: true, changed: true, sha256: createHash('sha256').update(out).digest('hex'), size: out.length };
}

/** The pool's task: `{ path, outPath }` → `{ ok, changed, sha256?, size? }` or `{ ok: false, reason }`; never throws. */
export default async function (task) {
  try {
    return await sanitize(task);
  } catch (e) {
    const name = e && typeof e === 'object' && 'name' in e ? String(e.name) : 'error';
    return { ok: false, reason: `${name}: ${e instanceof Error ? e.message.slice(0, 200) : ''}` };
  }
}
