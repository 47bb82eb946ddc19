// Runs in a worker thread with its own heap limit (see web-copy.ts): re-saves an uploaded PDF with
// pdf-lib using object streams, so pdf.js opening it over HTTP Range finds every page dictionary in
// a few compressed streams instead of one Range request per page (docs/design-notes.md, Targets: first page
// of a 300-page, 50 MB PDF), and with page 1's objects first (web-copy-order.mjs). The copy is then
// opened with pdf.js, the client's parser, the way the viewer opens it (Range requests): same page
// count, same page boxes, page 1's content parses, and the Range requests page 1 needed tell how
// long a prefix of the file the viewer should fetch up front (firstPageBytes). Anything else and
// the caller keeps the original.
// Plain JS so it runs under tsx, vitest and plain node alike.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { PDFDocument } from 'pdf-lib';
import { putPageOneFirst } from './web-copy-order.mjs';
import { VIEWER_RANGE_CHUNK as VIEWER_CHUNK } from '../../shared/viewer-range.mjs';

const { getDocument, PDFDataRangeTransport, VerbosityLevel } = await import('pdfjs-dist/legacy/build/pdf.mjs');

const COMMON = {
  isEvalSupported: false,
  disableFontFace: true,
  useSystemFonts: false,
  stopAtErrors: false,
  verbosity: VerbosityLevel.ERRORS,
};

const open = (data) => getDocument({ ...COMMON, data });

/** Opens `bytes` as the viewer does, from Range requests; `asked` collects every [begin, end) pdf.js requests. */
function openOverRange(bytes) {
  const asked = [];
  const transport = new PDFDataRangeTransport(bytes.length, bytes.slice(0, VIEWER_CHUNK));
  transport.requestDataRange = (begin, end) => {
    asked.push([begin, end]);
    setTimeout(() => transport.onDataRange(begin, bytes.slice(begin, end)), 0);
  };
  const task = getDocument({
    ...COMMON,
    range: transport,
    rangeChunkSize: VIEWER_CHUNK,
    disableAutoFetch: true,
    disableStream: true,
  });
  return { task, asked };
}

/** The end of the prefix [0, end) that the first chunk and `ranges` cover without a gap; null if they leave one or add nothing. */
function contiguousPrefix(ranges) {
  let end = VIEWER_CHUNK;
  for (const [b, e] of [...ranges].sort((x, y) => x[0] - y[0])) {
    if (b > end) return null;
    end = Math.max(end, e);
  }
  return end > VIEWER_CHUNK ? end : null;
}

/** What the viewer sees of a page: its box and rotation. */
async function pageShape(doc, n) {
  const p = await doc.getPage(n);
  return JSON.stringify([p.view, p.rotate]);
}

/** Checks the copy against the original; returns why it is unfit, or how many leading bytes page 1 needs. */
async function verify(original, bytes, pageCount) {
  const origTask = open(original.slice());
  const copy = openOverRange(bytes);
  try {
    const [a, b] = await Promise.all([origTask.promise, copy.task.promise]);
    if (b.numPages !== pageCount) return { ok: false, reason: `the copy has ${b.numPages} pages, not ${pageCount}` };
    for (const n of [1, pageCount]) {
      if ((await pageShape(a, n)) !== (await pageShape(b, n))) return { ok: false, reason: `page ${n} differs in the copy` };
    }
    const first = await b.getPage(1);
    copy.asked.length = 0; // from here on: what painting page 1 needs beyond an opened document
    await first.getOperatorList(); // page 1's content and resources parse
    return { ok: true, firstPageBytes: contiguousPrefix(copy.asked) };
  } finally {
    await Promise.all([origTask.destroy().catch(() => {}), copy.task.destroy().catch(() => {})]);
  }
}

async function makeWebCopy({ path, outPath, pageCount }) {
  const original = new Uint8Array(await readFile(path));
  // Encrypted files throw here (EncryptedPDFError): pdf-lib would write them out undecrypted.
  const lib = await PDFDocument.load(original, { ignoreEncryption: false, updateMetadata: false, throwOnInvalidObject: true });
  if (lib.getPageCount() !== pageCount)
    return { ok: false, reason: `pdf-lib sees ${lib.getPageCount()} pages, pdf.js ${pageCount}` };
  putPageOneFirst(lib);
  const bytes = await lib.save({ useObjectStreams: true, addDefaultPage: false, updateFieldAppearances: false });
  const checked = await verify(original, bytes, pageCount);
  if (!checked.ok) return checked;
  await writeFile(outPath, bytes, { flag: 'wx' });
  return {
    ok: true,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    firstPageBytes: checked.firstPageBytes,
  };
}

/** The pool's task (pdf-workers.ts): `{ path, outPath, pageCount }` → a WebCopyResult; never throws. */
export default async function (task) {
  try {
    return await makeWebCopy(task);
  } catch (e) {
    const name = e && typeof e === 'object' && 'name' in e ? String(e.name) : 'error';
    return { ok: false, reason: `${name}: ${e instanceof Error ? e.message.slice(0, 200) : ''}` };
  }
}
