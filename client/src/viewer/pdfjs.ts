// pdf.js wiring (STACK.md): the worker comes from the bundle via Vite's `?url`; cmaps, standard
// fonts, wasm decoders and the ICC profile are served as plain files under /pdfjs/ (see
// vite.config.ts).
//
// Bytes arrive by HTTP Range only, through our own PDFDataRangeTransport rather than pdf.js's
// built-in fetcher, for two reasons:
//  - pdf.js starts with a full GET which it aborts; Chromium caches that truncated body, then
//    answers the following Range requests from its cache (revalidated by our ETag) with a 200 for
//    the whole file, which pdf.js rejects. Our requests use `cache: 'no-store'`.
//  - the first request is already a Range request: a 300-page file opens after a few chunks.
// Before first paint, three things happen at once: pdf.js's worker boots, the first chunk arrives,
// and so does the file's tail (a suffix range), where pdf.js looks first (startxref, the
// cross-reference stream and, in our web-optimized copies, the object streams holding every page
// dictionary: server/pdf/web-copy.ts). pdf.js's own request for the tail is then answered
// without a round trip, and the document opens after one: page 1's content is the only other wait.
import {
  GlobalWorkerOptions,
  InvalidPDFException,
  PDFDataRangeTransport,
  PDFWorker,
  PixelsPerInch,
  ResponseException,
  getDocument,
  type PDFDocumentLoadingTask,
  type PDFDocumentProxy,
} from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

const assetBase = new URL(`${import.meta.env.BASE_URL}pdfjs/`, window.location.origin).href;

/** CSS pixels per PDF point at 100% zoom (96 dpi screen / 72 pt per inch). */
export const CSS_PER_POINT = PixelsPerInch.PDF_TO_CSS_UNITS;

const CHUNK = 64 * 1024;
/**
 * The suffix fetched with the first chunk: pdf.js's first request is the chunk-aligned last chunk
 * (it searches the last KiB for startxref), which starts less than CHUNK + 1 KiB from the end.
 */
const TAIL = CHUNK + 4 * 1024;

const COMMON = {
  // Our CSP allows no eval; pdf.js then interprets fonts instead of compiling them.
  isEvalSupported: false,
  cMapUrl: `${assetBase}cmaps/`,
  cMapPacked: true,
  standardFontDataUrl: `${assetBase}standard_fonts/`,
  wasmUrl: `${assetBase}wasm/`,
  iccUrl: `${assetBase}iccs/`,
};

/** A non-2xx answer for the document's bytes. */
export class PdfHttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
    this.name = 'PdfHttpError';
  }
}

/** `last` null: a suffix range of `first` bytes. */
async function fetchRange(url: string, first: number, last: number | null, signal: AbortSignal): Promise<{ bytes: Uint8Array; total: number }> {
  const range = last === null ? `bytes=-${first}` : `bytes=${first}-${last}`;
  const res = await fetch(url, { headers: { Range: range }, credentials: 'same-origin', cache: 'no-store', signal });
  if (res.status !== 200 && res.status !== 206) throw new PdfHttpError(res.status);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.status === 200) return { bytes, total: bytes.length }; // no range support: this is the whole file
  const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
  if (!Number.isFinite(total) || total <= 0) throw new PdfHttpError(res.status);
  return { bytes, total };
}

export interface OpenedPdf {
  promise: Promise<PDFDocumentProxy>;
  /** stops all requests and frees the worker's copy */
  destroy: () => void;
}

/**
 * Opens a PDF over Range requests. `onFatal` reports a chunk that failed to arrive after the
 * document opened (pdf.js would otherwise wait for it forever).
 */
export function openPdf(url: string, onFatal: (e: unknown) => void): OpenedPdf {
  const ctrl = new AbortController();
  let task: PDFDocumentLoadingTask | null = null;
  const worker = new PDFWorker(); // boots while the first bytes are on their way
  const headP = fetchRange(url, 0, CHUNK - 1, ctrl.signal);
  const tailP = fetchRange(url, TAIL, null, ctrl.signal).catch(() => null); // only a head start
  const promise = (async () => {
    const head = await headP;
    if (ctrl.signal.aborted) throw new DOMException('aborted', 'AbortError');
    if (head.bytes.length >= head.total) {
      task = getDocument({ ...COMMON, worker, data: head.bytes });
    } else {
      const tailStart = Math.max(0, head.total - TAIL);
      /** The bytes [begin, end): the part at or past tailStart comes from the prefetched tail. */
      const load = async (begin: number, end: number): Promise<Uint8Array> => {
        const tail = end > tailStart ? await tailP : null;
        if (!tail || tail.total !== head.total || tail.bytes.length !== head.total - tailStart) {
          return (await fetchRange(url, begin, end - 1, ctrl.signal)).bytes;
        }
        if (begin >= tailStart) return tail.bytes.slice(begin - tailStart, end - tailStart);
        const before = (await fetchRange(url, begin, tailStart - 1, ctrl.signal)).bytes;
        const out = new Uint8Array(end - begin);
        out.set(before, 0);
        out.set(tail.bytes.subarray(0, end - tailStart), before.length);
        return out;
      };
      const transport = new PDFDataRangeTransport(head.total, head.bytes);
      transport.requestDataRange = (begin: number, end: number) => {
        load(begin, end).then(
          (bytes) => transport.onDataRange(begin, bytes),
          (e: unknown) => { if (!ctrl.signal.aborted) onFatal(e); },
        );
      };
      task = getDocument({ ...COMMON, worker, range: transport, rangeChunkSize: CHUNK, disableAutoFetch: true, disableStream: true });
    }
    return task.promise;
  })();
  return {
    promise,
    destroy: () => {
      ctrl.abort();
      // a worker passed in is not the loading task's to destroy
      void Promise.resolve(task?.destroy()).catch(() => {}).finally(() => worker.destroy());
    },
  };
}

export type PdfLoadError = 'invalid' | 'password' | 'notFound' | 'forbidden' | 'unauthenticated' | 'network' | 'generic';

/** Classifies a load failure into a message the user can act on. */
export function classifyLoadError(e: unknown): PdfLoadError {
  if (e instanceof InvalidPDFException) return 'invalid';
  // pdf.js does not export PasswordException from its main entry; its name is stable.
  if (e instanceof Error && e.name === 'PasswordException') return 'password';
  const status = e instanceof PdfHttpError ? e.status : e instanceof ResponseException ? Number((e as { status?: unknown }).status) : null;
  if (status !== null) {
    if (status === 404 || status === 410) return 'notFound';
    if (status === 403) return 'forbidden';
    if (status === 401) return 'unauthenticated';
    if (status === 0) return 'network';
    if (status === 415 || status === 422 || status === 416) return 'invalid';
    return 'generic';
  }
  if (e instanceof TypeError) return 'network'; // fetch's way of saying the connection failed
  return 'generic';
}
