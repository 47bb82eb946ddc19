// One clock for every process of a run: wall-clock origin + monotonic offset, in milliseconds.
// Processes on one machine agree on it to well under a millisecond, so a point sampled in one
// client process can be compared with its arrival in another.
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `pred` every few ms; throws after `ms` (every wait in the suite is bounded). */
export async function until(pred: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}
