// Keeping a meeting's documents on the device downloads every one of them whole; started with the
// meeting's page it competed with the open document's first paint, which pdf.js loads in small Range
// requests (page 1's prefix first: tests/e2e/viewer-range, bench/large-pdf). So the whole downloads
// wait for the reader to have painted a page (or for a while, when no document is open), then for a
// moment the browser is idle.

/** After a first paint, wait this long before downloading whole documents (the next pages' ranges go first). */
const AFTER_PAINT_MS = 2_000;
/** With no document open (nothing will paint), start after this long anyway. */
const AT_THE_LATEST_MS = 10_000;

let painted = false;
const waiting = new Set<() => void>();

/** The viewer painted a page. */
export function notePainted(): void {
  if (painted) return;
  painted = true;
  for (const w of waiting) w();
  waiting.clear();
}

/** Resolves a moment after the reader's first paint (or at the latest after AT_THE_LATEST_MS), when the browser is idle. */
export function afterFirstPaint(): Promise<void> {
  return new Promise((resolve) => {
    const idle = () => {
      if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 5_000 });
      else resolve();
    };
    let done = false;
    const go = (delay: number) => () => {
      if (done) return;
      done = true;
      waiting.delete(onPaint);
      clearTimeout(latest);
      setTimeout(idle, delay);
    };
    const onPaint = go(AFTER_PAINT_MS);
    const latest = setTimeout(go(0), AT_THE_LATEST_MS);
    if (painted) onPaint();
    else waiting.add(onPaint);
  });
}
