// Scrapes /metrics and reads it with an independent Prometheus text-format parser
// (parse-prometheus-text-format, not prom-client). That parser folds a histogram's series into ONE
// sample and loses their labels, so the text is read twice: as served (families, types, syntax), and
// with histograms declared untyped, which makes each *_bucket/*_sum/*_count a family of its own
// whose samples keep every label.
import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';

export interface Scrape {
  families: PromFamily[];
  /** histograms split into their _bucket, _sum and _count series, labels kept */
  series: PromFamily[];
}

export async function scrape(url: string, token: string): Promise<Scrape> {
  const r = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  if (r.status !== 200) throw new Error(`/metrics ${r.status}`);
  expectTextFormat(r.headers.get('content-type'));
  const text = await r.text();
  return {
    families: parsePrometheusTextFormat(text),
    series: mergeByName(parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'))),
  };
}

/** Untyped, a histogram's label sets come out as alternating _bucket/_sum/_count runs: one family per name. */
function mergeByName(families: PromFamily[]): PromFamily[] {
  const byName = new Map<string, PromFamily>();
  for (const f of families) {
    const seen = byName.get(f.name);
    if (seen) seen.metrics.push(...f.metrics);
    else byName.set(f.name, { ...f, metrics: [...f.metrics] });
  }
  return [...byName.values()];
}

function expectTextFormat(contentType: string | null) {
  if (!contentType?.startsWith('text/plain') || !contentType.includes('version=0.0.4'))
    throw new Error(`not the text format: ${contentType}`);
}

export function family(s: Scrape, name: string): PromFamily {
  const f = s.families.find((x) => x.name === name);
  if (!f) throw new Error(`no metric ${name}`);
  return f;
}

/**
 * A gauge's or counter's value, or a histogram's count (`name` without the suffix), for the series
 * whose labels include all of `labels`; 0 when no such series exists yet.
 */
export function valueOf(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  const isHistogram = family(s, name).type === 'HISTOGRAM';
  const f = s.series.find((x) => x.name === (isHistogram ? `${name}_count` : name));
  const m = f?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m ? Number(m.value) : 0;
}

/** Every label set a histogram (or other metric) has series for. */
export function labelSets(s: Scrape, name: string): Record<string, string>[] {
  const isHistogram = family(s, name).type === 'HISTOGRAM';
  return (s.series.find((x) => x.name === (isHistogram ? `${name}_count` : name))?.metrics ?? []).map((m) => m.labels ?? {});
}

/** A histogram's cumulative buckets for one label set: [le, count] in the served order. */
export function buckets(s: Scrape, name: string, labels: Record<string, string>): [string, number][] {
  return (s.series.find((x) => x.name === `${name}_bucket`)?.metrics ?? [])
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .map((m) => [m.labels!.le!, Number(m.value)]);
}
