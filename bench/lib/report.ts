// Result rows, the printed table, and bench/results/latest.{json,md}.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './server-process';

export type Direction = 'max' | 'min';

export interface Row {
  bench: string;
  metric: string;
  unit: string;
  /** the product's figure */
  project: number | null;
  /** the baseline's figure, measured in the same run (null for absolute targets) */
  baseline: number | null;
  /** the target: ratio project/baseline (or the absolute figure when there is no baseline) must be ≤ limit ('max') or ≥ limit ('min') */
  target: { limit: number; direction: Direction; absolute?: boolean } | null;
  note?: string;
  pending?: boolean;
}

export interface BenchResult {
  name: string;
  rows: Row[];
  /** anything else worth keeping (curves, resource use, raw summaries) */
  extra?: Record<string, unknown>;
  error?: string;
}

export function ratioOf(r: Row): number | null {
  if (r.project === null || r.baseline === null || r.baseline === 0) return null;
  return r.project / r.baseline;
}

export function metOf(r: Row): boolean | null {
  if (!r.target || r.pending) return null;
  const v = r.target.absolute ? r.project : ratioOf(r);
  if (v === null || !Number.isFinite(v)) return null;
  return r.target.direction === 'max' ? v <= r.target.limit : v >= r.target.limit;
}

const fmt = (v: number | null, unit = '') => {
  if (v === null || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const s = a >= 1000 ? v.toFixed(0) : a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
  return unit ? `${s} ${unit}` : s;
};

function targetText(r: Row): string {
  if (!r.target) return '';
  const op = r.target.direction === 'max' ? '≤' : '≥';
  return r.target.absolute ? `${op} ${r.target.limit} ${r.unit}` : `${op} ${r.target.limit}×`;
}

function statusText(r: Row): string {
  if (r.pending) return 'pending';
  const m = metOf(r);
  return m === null ? (r.target ? 'n/a' : '') : m ? 'met' : 'MISSED';
}

export function tableLines(results: BenchResult[]): string[][] {
  const head = ['benchmark', 'metric', 'project', 'baseline', 'ratio', 'target', 'status'];
  const lines = [head];
  for (const b of results) {
    if (b.error) {
      lines.push([b.name, 'ERROR', b.error.split('\n')[0]?.slice(0, 80) ?? '', '', '', '', 'error']);
      continue;
    }
    for (const r of b.rows) {
      lines.push([
        b.name,
        r.metric,
        fmt(r.project, r.unit),
        fmt(r.baseline, r.unit),
        r.target?.absolute ? '' : fmt(ratioOf(r)) + (ratioOf(r) === null ? '' : '×'),
        targetText(r),
        statusText(r),
      ]);
    }
  }
  return lines;
}

export function printTable(results: BenchResult[]): string {
  const lines = tableLines(results);
  const widths = lines[0]!.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const out = lines
    .map((l, n) => {
      const s = l.map((c, i) => c.padEnd(widths[i]!)).join('  ');
      return n === 0 ? `${s}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : s;
    })
    .join('\n');
  return out;
}

export function markdownTable(results: BenchResult[]): string {
  const lines = tableLines(results);
  const [head, ...rest] = lines;
  return [`| ${head!.join(' | ')} |`, `|${head!.map(() => '---').join('|')}|`, ...rest.map((l) => `| ${l.join(' | ')} |`)].join(
    '\n',
  );
}

export function writeResults(results: BenchResult[], meta: Record<string, unknown>): { json: string; md: string } {
  const dir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  const body = {
    ...meta,
    machine,
    results: results.map((b) => ({ ...b, rows: b.rows.map((r) => ({ ...r, ratio: ratioOf(r), met: metOf(r) })) })),
  };
  const json = path.join(dir, 'latest.json');
  const md = path.join(dir, 'latest.md');
  fs.writeFileSync(json, `${JSON.stringify(body, null, 2)}\n`);
  const extras = results
    .filter((b) => b.extra)
    .map((b) => `### ${b.name}\n\n\`\`\`json\n${JSON.stringify(b.extra, null, 2)}\n\`\`\``)
    .join('\n\n');
  fs.writeFileSync(
    md,
    `# Benchmarks (${String(meta.mode)}), ${String(meta.finishedAt)}\n\n${machine.cpus} cores, ${machine.cpuModel ?? ''}, Node ${machine.node}\n\n${markdownTable(results)}\n\n${extras}\n`,
  );
  return { json, md };
}
