// Renders one PDF page into a fresh canvas at the device's pixel ratio (crisp on retina tablets).
// The caller swaps the canvas in only when it is finished, so a page turn never flashes blank.
import { RenderingCancelledException, type PDFPageProxy, type RenderTask } from 'pdfjs-dist';

/** pdf.js's own default ceiling; beyond it the canvas is drawn at a lower resolution. */
const MAX_CANVAS_PIXELS = 2 ** 25;

export interface PageRender {
  canvas: HTMLCanvasElement;
  promise: Promise<HTMLCanvasElement>;
  cancel: () => void;
}

export function renderPage(page: PDFPageProxy, cssPerPoint: number, className?: string): PageRender {
  const viewport = page.getViewport({ scale: cssPerPoint });
  let ratio = window.devicePixelRatio || 1;
  const pixels = viewport.width * viewport.height * ratio * ratio;
  if (pixels > MAX_CANVAS_PIXELS) ratio *= Math.sqrt(MAX_CANVAS_PIXELS / pixels);

  const canvas = document.createElement('canvas');
  if (className) canvas.className = className;
  canvas.width = Math.max(1, Math.floor(viewport.width * ratio));
  canvas.height = Math.max(1, Math.floor(viewport.height * ratio));
  const ctx = canvas.getContext('2d', { alpha: false });
  if (!ctx) throw new Error('2D canvas unavailable');

  let task: RenderTask | null = page.render({
    canvas,
    canvasContext: ctx,
    viewport,
    transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0],
  });
  return {
    canvas,
    promise: task.promise.then(() => canvas),
    cancel: () => {
      task?.cancel();
      task = null;
    },
  };
}

export function isCancelled(e: unknown): boolean {
  return e instanceof RenderingCancelledException;
}
