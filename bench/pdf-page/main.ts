// Bench page for bench/large-pdf.ts, built by Vite and served by the product server in place of
// the app. `range` opens the document exactly as the app does (client/src/viewer/pdfjs.ts openPdf:
// our Range transport, 64 KB chunks, the file's tail and page 1's prefix fetched up front, no
// auto-fetch) and paints page 1 with the app's renderPage; `memory` first downloads the whole file (untimed), then opens it from that
// buffer with the same pdf.js options and paints the same page the same way.
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import { CSS_PER_POINT, openPdf } from '../../client/src/viewer/pdfjs';
import { renderPage } from '../../client/src/viewer/render-page';

const assetBase = new URL('/pdfjs/', window.location.origin).href;
// the same options as pdfjs.ts's COMMON (not exported there)
const COMMON = {
  isEvalSupported: false,
  cMapUrl: `${assetBase}cmaps/`,
  cMapPacked: true,
  standardFontDataUrl: `${assetBase}standard_fonts/`,
  wasmUrl: `${assetBase}wasm/`,
  iccUrl: `${assetBase}iccs/`,
};

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

async function paintFirst(doc: PDFDocumentProxy): Promise<void> {
  const page = await doc.getPage(1);
  const r = renderPage(page, CSS_PER_POINT);
  const canvas = await r.promise;
  const stage = document.getElementById('stage')!;
  stage.replaceChildren(canvas);
  await frame(); // on screen
}

function fileBytesSoFar(url: string): { bytes: number; requests: number } {
  let bytes = 0;
  let requests = 0;
  for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    if (!e.name.endsWith(url)) continue;
    bytes += e.encodedBodySize;
    requests++;
  }
  return { bytes, requests };
}

async function run(
  mode: 'range' | 'memory',
  documentId: string,
): Promise<{ ms: number; bytes: number; requests: number; pages: number }> {
  const url = `/api/documents/${documentId}/file`;
  if (mode === 'range') {
    performance.clearResourceTimings();
    const t0 = performance.now();
    const opened = openPdf(url, (e) => {
      throw e;
    });
    const doc = await opened.promise;
    await paintFirst(doc);
    const ms = performance.now() - t0;
    const fetched = fileBytesSoFar(url);
    const pages = doc.numPages;
    opened.destroy();
    return { ms, ...fetched, pages };
  }
  const res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  const data = new Uint8Array(await res.arrayBuffer());
  const t0 = performance.now();
  const task = getDocument({ ...COMMON, data });
  const doc = await task.promise;
  await paintFirst(doc);
  const ms = performance.now() - t0;
  const pages = doc.numPages;
  await task.destroy();
  return { ms, bytes: data.length, requests: 1, pages };
}

(window as unknown as { benchRun: typeof run }).benchRun = run;
document.title = 'ready';
