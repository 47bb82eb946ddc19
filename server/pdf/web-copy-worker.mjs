// Runs in a worker thread with its own heap limit (see web-copy.ts): re-saves an uploaded PDF with
// pdf-lib using object streams, so pdf.js opening it over HTTP Range finds every page dictionary in
// a few compressed streams instead of one Range request per page (DESIGN.md "Targets": first page
// of a 300-page, 50 MB PDF). The copy is then opened with pdf.js, the client's parser: same page
// count, same page boxes, page 1's content parses. Anything else and the caller keeps the original.
// Plain JS so it runs under tsx, vitest and plain node alike.
import { parentPort, workerData } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';

const { getDocument, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');

const open = (data) => getDocument({
  data, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: false, verbosity: VerbosityLevel.ERRORS,
});

/** What the viewer sees of a page: its box and rotation. */
async function pageShape(doc, n) {
  const p = await doc.getPage(n);
  return JSON.stringify([p.view, p.rotate]);
}

async function makeWebCopy({ path, outPath, pageCount }) {
  const original = new Uint8Array(await readFile(path));
  // Encrypted files throw here (EncryptedPDFError): pdf-lib would write them out undecrypted.
  const lib = await PDFDocument.load(original, { ignoreEncryption: false, updateMetadata: false, throwOnInvalidObject: true });
  if (lib.getPageCount() !== pageCount) return { ok: false, reason: `pdf-lib sees ${lib.getPageCount()} pages, pdf.js ${pageCount}` };
  const bytes = await lib.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });

  const checks = [1, pageCount];
  const origTask = open(original.slice());
  const copyTask = open(bytes.slice());
  try {
    const [a, b] = await Promise.all([origTask.promise, copyTask.promise]);
    if (b.numPages !== pageCount) return { ok: false, reason: `the copy has ${b.numPages} pages, not ${pageCount}` };
    for (const n of checks) {
      if ((await pageShape(a, n)) !== (await pageShape(b, n))) return { ok: false, reason: `page ${n} differs in the copy` };
    }
    const first = await b.getPage(1);
    await first.getOperatorList(); // page 1's content and resources parse
  } finally {
    await Promise.all([origTask.destroy().catch(() => {}), copyTask.destroy().catch(() => {})]);
  }
  await writeFile(outPath, bytes, { flag: 'wx' });
  return { ok: true, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length };
}

let result;
try {
  result = await makeWebCopy(workerData);
} catch (e) {
  const name = e && typeof e === 'object' && 'name' in e ? String(e.name) : 'error';
  result = { ok: false, reason: `${name}: ${e instanceof Error ? e.message.slice(0, 200) : ''}` };
}
parentPort.postMessage(result);
