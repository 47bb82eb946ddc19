// `npm run bench [-- --quick] [-- --only NAME[,NAME]]`: runs the suite, prints one table, writes
// bench/results/latest.json and latest.md. Exits non-zero only when a benchmark fails to *run*;
// a missed target is reported, never fatal (timings on shared CI machines are noisy).
import { printTable, writeResults, type BenchResult } from './lib/report';

export interface BenchOptions {
  quick: boolean;
  log: (msg: string) => void;
}

type Bench = (o: BenchOptions) => Promise<BenchResult>;

const SUITE: Record<string, () => Promise<Bench>> = {
  'page-follow': async () => (await import('./page-follow')).pageFollow,
  ink: async () => (await import('./ink')).ink,
  reconnect: async () => (await import('./reconnect')).reconnect,
  'large-pdf': async () => (await import('./large-pdf')).largePdf,
  export: async () => (await import('./export')).annotationExport,
  minutes: async () => (await import('./minutes')).minutes,
  persistence: async () => (await import('./persistence')).persistence,
  watermark: async () => (await import('./watermark')).watermark,
  search: async () => (await import('./search')).search,
  'scale-out': async () => (await import('./scale-out')).scaleOut,
};

function parseArgs(argv: string[]): { quick: boolean; only: string[] | null } {
  let quick = false;
  let only: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--only') only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (a.startsWith('--only=')) only = a.slice(7).split(',').filter(Boolean);
    else if (a === '--help') {
      console.log(
        'npm run bench [-- --quick] [--only page-follow,ink,reconnect,large-pdf,export,minutes,persistence,watermark,search,scale-out]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const n of only ?? []) if (!SUITE[n]) throw new Error(`unknown benchmark ${n} (${Object.keys(SUITE).join(', ')})`);
  return { quick, only };
}

async function main(): Promise<number> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const names = only ?? Object.keys(SUITE);
  const t0 = performance.now();
  const log = (m: string) => console.error(m);
  const results: BenchResult[] = [];
  for (const name of names) {
    const started = performance.now();
    log(`▶ ${name}${quick ? ' (quick)' : ''}`);
    try {
      const bench = await SUITE[name]!();
      results.push(await bench({ quick, log }));
    } catch (err) {
      const msg = err instanceof Error ? (err.stack ?? err.message) : String(err);
      log(`✖ ${name} failed to run: ${msg}`);
      results.push({ name, rows: [], error: msg });
    }
    log(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const wallS = (performance.now() - t0) / 1000;
  console.log(`\nBenchmarks (${quick ? 'quick' : 'full'}), ${wallS.toFixed(1)} s wall\n`);
  console.log(printTable(results));
  const files = writeResults(results, {
    mode: quick ? 'quick' : 'full',
    finishedAt: new Date().toISOString(),
    wallSeconds: wallS,
    only: names,
  });
  console.log(`\nwritten: ${files.json}, ${files.md}`);
  return results.some((r) => r.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
