// A worker script for tests of server/pdf/pdf-workers.ts: does what the task asks, so a test can
// make a worker busy past its time limit or exhaust its heap without depending on a PDF's speed.
export default function (task) {
  if (task.spinMs) {
    const until = Date.now() + task.spinMs;
    while (Date.now() < until) {
      /* a synchronous hang: only terminating the thread stops it */
    }
  }
  if (task.allocate) {
    const hoard = [];
    // a plain array on the JS heap (not a typed array, which lives outside it): the heap limit must trip
    // oxlint-disable-next-line unicorn/no-new-array
    for (;;) hoard.push(new Array(1e6).fill(hoard.length));
  }
  return { echo: task.echo ?? null };
}
