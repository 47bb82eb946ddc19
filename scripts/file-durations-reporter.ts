// A vitest reporter for CI: after the run, one line per test file with its time (tests and hooks,
// the figure vitest's default reporter prints beside each file) and its import time, slowest first,
// so a file that grows slow shows up in every CI log. Used by scripts/test.sh next to the default.
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export default class FileDurationsReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows = modules
      .map((m) => {
        const d = m.diagnostic();
        return {
          file: path.relative(process.cwd(), m.moduleId),
          project: m.project.name,
          state: m.state(),
          run: d.duration,
          imports: d.collectDuration,
        };
      })
      .sort((a, b) => b.run - a.run);
    if (rows.length === 0) return;
    const s = (ms: number) => (ms / 1000).toFixed(1).padStart(7);
    const width = Math.max(...rows.map((r) => r.file.length));
    const lines = [
      '',
      `Per-file durations (s): tests+hooks, import — ${rows.length} files, ${(rows.reduce((n, r) => n + r.run, 0) / 1000).toFixed(1)} s of tests+hooks in all`,
      ...rows.map(
        (r) => `${r.file.padEnd(width)} ${s(r.run)} ${s(r.imports)}  ${r.project}${r.state === 'passed' ? '' : ` ${r.state}`}`,
      ),
      '',
    ];
    process.stdout.write(lines.join('\n'));
  }
}
