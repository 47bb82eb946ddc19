// One async task at a time per key, in this process: two signatures of the same minutes (or
// invitation, counting report, opinion request) must not both read the same bytes and write two
// different next versions. Across processes each service's compare-and-set update is the guard
// (the second writer gets CONFLICT); this queue only spares the users of one process that refusal.
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, f: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const run = prev.then(f, f);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    // the last task of a key removes it: the map holds only keys with work under way
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }
}
