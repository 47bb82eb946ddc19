// The PDF worker pool (server/pdf/pdf-workers.ts): warm workers are reused across tasks, a task over
// its time limit is killed with its worker, a worker that exhausts its heap dies alone, and in both
// cases the pool goes on with a fresh worker.
import { count } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { PdfTaskFailed, PdfWorkers } from '../../server/pdf/pdf-workers';

const testWorker = new URL('../helpers/pool-test-worker.mjs', import.meta.url);
const workers = new PdfWorkers({ memoryMb: 64, maxThreads: 1 });
afterAll(() => workers.close());

describe('PDF worker pool', () => {
  it('runs tasks on the same warm worker instead of a thread per task', async () => {
    expect(await workers.run('files', testWorker, { echo: 1 }, { timeoutMs: 10_000 })).toEqual({ echo: 1 });
    const first = workers.threadIds('files');
    expect(first).toHaveLength(1);
    for (let i = 2; i <= 4; i++)
      expect(await workers.run('files', testWorker, { echo: i }, { timeoutMs: 10_000 })).toEqual({ echo: i });
    expect(workers.threadIds('files')).toEqual(first);
  });

  it('kills a task over its time limit with its worker, and the next task runs on a fresh one', async () => {
    await workers.run('files', testWorker, {}, { timeoutMs: 10_000 });
    const [busy] = workers.threadIds('files');
    const err = await workers.run('files', testWorker, { spinMs: 60_000 }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PdfTaskFailed);
    expect((err as PdfTaskFailed).reason).toBe('timeout');
    expect(await workers.run('files', testWorker, { echo: 'after' }, { timeoutMs: 10_000 })).toEqual({ echo: 'after' });
    expect(workers.threadIds('files')).not.toContain(busy);
  });

  it('a worker that exhausts its heap limit dies alone; the pool replaces it', async () => {
    await workers.run('files', testWorker, {}, { timeoutMs: 10_000 });
    const [before] = workers.threadIds('files');
    const err = await workers.run('files', testWorker, { allocate: true }, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PdfTaskFailed);
    expect((err as PdfTaskFailed).reason).toBe('crashed');
    expect(await workers.run('files', testWorker, { echo: 'alive' }, { timeoutMs: 10_000 })).toEqual({ echo: 'alive' });
    expect(workers.threadIds('files')).not.toContain(before);
  });

  it('releaseIdle stops an idle pool with its warm worker, never one with a task in hand; the next task starts it again', async () => {
    const spinning = workers.run('files', testWorker, { spinMs: 500 }, { timeoutMs: 10_000 });
    expect(await workers.releaseIdle('files')).toBe(false);
    await spinning;
    expect(workers.threadIds('files')).toHaveLength(1);
    expect(await workers.releaseIdle('files')).toBe(true);
    expect(workers.threadIds('files')).toEqual([]);
    expect(await workers.releaseIdle('files')).toBe(false);
    expect(await workers.run('files', testWorker, { echo: 'again' }, { timeoutMs: 10_000 })).toEqual({ echo: 'again' });
    expect(workers.threadIds('files')).toHaveLength(1);
  });
});

describe('an upload whose inspection runs over PDF_INSPECT_TIMEOUT_MS', () => {
  it('is refused with PDF_UNREADABLE and leaves nothing stored', async () => {
    const { buildTestApp } = await import('../helpers/build-app');
    const { multipartFile, session } = await import('../helpers/http');
    const { fixture } = await import('../helpers/fixtures');
    const fs = await import('node:fs');
    const path = await import('node:path');
    const t = await buildTestApp({ config: { pdfInspectTimeoutMs: 1 } });
    try {
      const admin = await session(t.app, 'admin');
      const mid = (await admin.get('/api/meetings')).json()[0].id;
      const docs = async () => (await t.app.database.read((q, tt) => q.select({ n: count() }).from(tt.documents)))[0]!.n;
      const before = await docs();
      const mp = multipartFile(fixture('tracemonkey.pdf'), 'slow.pdf');
      const res = await admin.request({ method: 'POST', url: `/api/meetings/${mid}/documents`, ...mp });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('PDF_UNREADABLE');
      expect(await docs()).toEqual(before);
      expect(fs.readdirSync(path.join(t.dataDir, 'tmp'))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
