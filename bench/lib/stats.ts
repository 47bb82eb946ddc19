// Percentiles over raw samples, and a fixed-bucket histogram for floods of samples (live ink).

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / (s.length || 1);
  return { n: s.length, mean, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

export const median = (samples: readonly number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    50,
  );

/** Latencies in 0.05 ms buckets up to 5 s (one overflow bucket): bounded memory for millions of samples. */
export class Histogram {
  static readonly STEP = 0.05;
  readonly counts: number[];
  n = 0;
  max = 0;

  constructor(readonly limitMs = 5000) {
    this.counts = Array.from({ length: Math.ceil(limitMs / Histogram.STEP) + 1 }, () => 0);
  }

  add(ms: number): void {
    const v = ms < 0 ? 0 : ms;
    const i = Math.min(this.counts.length - 1, Math.floor(v / Histogram.STEP));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.n++;
    if (v > this.max) this.max = v;
  }

  merge(counts: readonly number[], n: number, max: number): void {
    counts.forEach((c, i) => {
      this.counts[i] = (this.counts[i] ?? 0) + c;
    });
    this.n += n;
    this.max = Math.max(this.max, max);
  }

  percentile(p: number): number {
    if (this.n === 0) return NaN;
    const rank = Math.ceil((p / 100) * this.n);
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return (i + 0.5) * Histogram.STEP;
    }
    return this.max;
  }

  /** compact form for IPC: only non-empty buckets */
  toSparse(): { buckets: [number, number][]; n: number; max: number } {
    const buckets: [number, number][] = [];
    this.counts.forEach((c, i) => {
      if (c) buckets.push([i, c]);
    });
    return { buckets, n: this.n, max: this.max };
  }

  addSparse(s: { buckets: [number, number][]; n: number; max: number }): void {
    for (const [i, c] of s.buckets) this.counts[i] = (this.counts[i] ?? 0) + c;
    this.n += s.n;
    this.max = Math.max(this.max, s.max);
  }
}

/** Runs `fn` `n` times (after `warmup` untimed runs) and returns the durations in ms. */
export async function timeRuns(n: number, warmup: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * Times two functions in alternation (a, b, a, b…) after a warm-up of each, so that a change in the
 * machine's load during the run falls on both alike; a run of all a then all b can swing the ratio
 * by half on a busy machine.
 */
export async function timeAlternating(
  n: number,
  warmup: number,
  a: () => Promise<unknown> | unknown,
  b: () => Promise<unknown> | unknown,
): Promise<{ a: number[]; b: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < n; i++) {
    for (const [fn, list] of [
      [a, out.a],
      [b, out.b],
    ] as const) {
      const t0 = performance.now();
      await fn();
      list.push(performance.now() - t0);
    }
  }
  return out;
}
