// pdf.js wiring (docs/design-notes.md, Stack traps): the worker comes from the bundle via Vite's `?url`; cmaps, standard
// fonts, wasm decoders and the ICC profile are served as plain files under /pdfjs/ (see
// vite.config.ts).
//
// Bytes arrive by HTTP Range only, through our own PDFDataRangeTransport rather than pdf.js's
// built-in fetcher, for two reasons:
//  - pdf.js starts with a full GET which it aborts; Chromium caches that truncated body, then
//    answers the following Range requests from its cache (revalidated by our ETag) with a 200 for
//    the whole file, which pdf.js rejects. Our requests use `cache: 'no-store'`.
//  - the first request is already a Range request: a 300-page file opens after a few chunks.
// Before first paint, three things happen at once: pdf.js's worker boots (the longest: hundreds of
// ms on a tablet), the first chunk arrives, and so does the file's tail (a suffix range), where
// pdf.js looks first (startxref, the cross-reference stream and, in our web-optimized copies, the
// object streams holding every page dictionary: server/pdf/web-copy.ts). The first chunk's answer
// may say how long a prefix of the file page 1 draws from (FIRST_PAGE_BYTES_HEADER; web copies put
// page 1's objects first): the rest of that prefix is fetched at once and handed to pdf.js as the
// next bytes of a stream. pdf.js's requests for the tail and that prefix are answered without a
// round trip, so the document opens and page 1 paints without waiting on the network after the
// worker is up.
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
// a Vite `?url` import: the default export is the asset's URL, made by Vite, not by the module
// oxlint-disable-next-line import/default
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { FIRST_PAGE_BYTES_HEADER } from '../../../shared/document-file';
import { VIEWER_RANGE_CHUNK as CHUNK } from '../../../shared/viewer-range.mjs';

GlobalWorkerOptions.workerSrc = workerUrl;

const assetBase = new URL(`${import.meta.env.BASE_URL}pdfjs/`, window.location.origin).href;

/** CSS pixels per PDF point at 100% zoom (96 dpi screen / 72 pt per inch). */
export const CSS_PER_POINT = PixelsPerInch.PDF_TO_CSS_UNITS;

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

/** A Range answer: its bytes, the file's size, and the prefix page 1 draws from (0: not known). */
interface RangeBytes {
  bytes: Uint8Array;
  total: number;
  firstPageBytes: number;
}

/** `last` null: a suffix range of `first` bytes. */
async function fetchRange(url: string, first: number, last: number | null, signal: AbortSignal): Promise<RangeBytes> {
  const range = last === null ? `bytes=-${first}` : `bytes=${first}-${last}`;
  const res = await fetch(url, { headers: { Range: range }, credentials: 'same-origin', cache: 'no-store', signal });
  if (res.status !== 200 && res.status !== 206) throw new PdfHttpError(res.status);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const firstPageBytes = Number(res.headers.get(FIRST_PAGE_BYTES_HEADER)) || 0;
  if (res.status === 200) return { bytes, total: bytes.length, firstPageBytes }; // no range support: this is the whole file
  const total = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]);
  if (!Number.isFinite(total) || total <= 0) throw new PdfHttpError(res.status);
  return { bytes, total, firstPageBytes };
}

/** Bytes [start, end) requested before pdf.js asks for them; null once that request failed or answered something else. */
interface Prefetch {
  start: number;
  end: number;
  bytes: Promise<Uint8Array | null>;
}

/** [start, end) of this file from a request's answer, once checked to be those bytes. */
function prefetch(answer: Promise<RangeBytes | null>, start: number, end: number, total: number): Prefetch {
  const bytes = answer.then(
    (r) => (r && r.total === total && r.bytes.length === end - start ? r.bytes : null),
    () => null,
  );
  return { start, end, bytes };
}

/** [begin, end) of the file: from a prefetched part if one holds it (or its end), the rest fetched now. */
async function readRange(
  url: string,
  begin: number,
  end: number,
  prefetched: Prefetch[],
  signal: AbortSignal,
): Promise<Uint8Array> {
  for (const p of prefetched) {
    const bytes = begin >= p.start && end <= p.end ? await p.bytes : null;
    if (bytes) return bytes.slice(begin - p.start, end - p.start);
  }
  const after = prefetched.find((p) => begin < p.start && p.start < end && end <= p.end);
  const afterBytes = after ? await after.bytes : null;
  if (!after || !afterBytes) return (await fetchRange(url, begin, end - 1, signal)).bytes;
  const before = (await fetchRange(url, begin, after.start - 1, signal)).bytes;
  const out = new Uint8Array(end - begin);
  out.set(before, 0);
  out.set(afterBytes.subarray(0, end - after.start), before.length);
  return out;
}

/**
 * pdf.js's byte source for a file bigger than its first chunk: the head, then the rest of page 1's
 * prefix pushed as soon as it arrives, and pdf.js's own requests answered from what was prefetched.
 */
function rangeTransport(
  url: string,
  head: RangeBytes,
  tail: Promise<RangeBytes | null>,
  signal: AbortSignal,
  onFatal: (e: unknown) => void,
): PDFDataRangeTransport {
  const { total } = head;
  const tailStart = Math.max(0, total - TAIL);
  const prefetched = [prefetch(tail, tailStart, total, total)];
  const transport = new PDFDataRangeTransport(total, head.bytes);
  // whole chunks: pdf.js's parser reads a little past the last object page 1 needs
  const restEnd = Math.min(Math.ceil(head.firstPageBytes / CHUNK) * CHUNK, tailStart);
  if (restEnd > head.bytes.length) {
    const rest = prefetch(fetchRange(url, head.bytes.length, restEnd - 1, signal), head.bytes.length, restEnd, total);
    prefetched.push(rest);
    // The bytes right after the head: pdf.js appends them like a stream's, so page 1 never asks for them.
    void rest.bytes.then((bytes) => {
      if (bytes) transport.onDataProgressiveRead(bytes);
    });
  }
  transport.requestDataRange = (begin: number, end: number) => {
    readRange(url, begin, end, prefetched, signal).then(
      (bytes) => transport.onDataRange(begin, bytes),
      (e: unknown) => {
        if (!signal.aborted) onFatal(e);
      },
    );
  };
  return transport;
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
export function openPdf(url: string, onFatal: (e: unknown) => void, kept?: () => Promise<Uint8Array | null>): OpenedPdf {
  const ctrl = new AbortController();
  let task: PDFDocumentLoadingTask | null = null;
  const worker = new PDFWorker(); // boots while the first bytes are on their way
  // no network: the whole file kept on the device (client/src/offline), opened from memory
  const headP = fetchRange(url, 0, CHUNK - 1, ctrl.signal).catch(async (e: unknown) => {
    const bytes = kept && classifyLoadError(e) === 'network' ? await kept().catch(() => null) : null;
    if (!bytes) throw e;
    return { bytes, total: bytes.length, firstPageBytes: 0 };
  });
  const tailP = fetchRange(url, TAIL, null, ctrl.signal).catch(() => null); // only a head start
  const promise = (async () => {
    const head = await headP;
    if (ctrl.signal.aborted) throw new DOMException('aborted', 'AbortError');
    task =
      head.bytes.length >= head.total
        ? getDocument({ ...COMMON, worker, data: head.bytes })
        : getDocument({
            ...COMMON,
            worker,
            range: rangeTransport(url, head, tailP, ctrl.signal, onFatal),
            rangeChunkSize: CHUNK,
            disableAutoFetch: true,
            disableStream: true,
          });
    return task.promise;
  })();
  return {
    promise,
    destroy: () => {
      ctrl.abort();
      // a worker passed in is not the loading task's to destroy
      void Promise.resolve(task?.destroy())
        .catch(() => {})
        .finally(() => worker.destroy());
    },
  };
}

export type PdfLoadError = 'invalid' | 'password' | 'notFound' | 'forbidden' | 'unauthenticated' | 'network' | 'generic';

/** Classifies a load failure into a message the user can act on. */
export function classifyLoadError(e: unknown): PdfLoadError {
  if (e instanceof InvalidPDFException) return 'invalid';
  // pdf.js does not export PasswordException from its main entry; its name is stable.
  if (e instanceof Error && e.name === 'PasswordException') return 'password';
  const status =
    e instanceof PdfHttpError ? e.status : e instanceof ResponseException ? Number((e as { status?: unknown }).status) : null;
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
