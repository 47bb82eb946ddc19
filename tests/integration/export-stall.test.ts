// Issue 20 item 4, scaled to a CI box: one participant's big strokes plus parallel flattened exports
// must not stall the server. The exports run in worker threads; meanwhile /api/health, over real
// HTTP, keeps answering. Also: the per-person caps on stored marks, and the per-person limit on
// exports under way (429 EXPORT_BUSY).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InkPoint } from '../../shared/annotations';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { sqlCount, userActor } from '../helpers/raw-sql';

const STROKES = 60;
const POINTS = 5000;
const EXPORTS = 4;

let t: TestApp;
let delegate: Session;
let meetingId: string;
let docId: string;

async function drawAs(username: string, documentId: string, strokeId: string, points: number) {
  const actor = await userActor(t.app, username);
  // a zig-zag over the whole page: every point lands in the flattened content
  const pts: InkPoint[] = Array.from({ length: points }, (_, i) => [50 + (i % 500), 100 + ((i * 7) % 600), 0.5]);
  return t.app.live.execute(actor, {
    id: `cmd-${strokeId}`,
    meetingId,
    type: 'stroke.add',
    payload: { strokeId, documentId, page: 1, layer: 'private', tool: 'pen', color: '#d62828', width: 2, points: pts },
  });
}

beforeAll(async () => {
  t = await buildTestApp({
    listen: true,
    config: {
      annotationStrokesPerSecond: 1e6,
      annotationStrokeBurst: 1e6,
      // the caps are tested below; here the scenario needs the amount of ink
      annotationMaxPointsPerDocument: 10_000_000,
      exportsPerUser: EXPORTS,
    },
  });
  const admin = await session(t.app, 'admin');
  delegate = await session(t.app, 'delegate1');
  meetingId = (await admin.get('/api/meetings')).json()[0].id;
  const mp = multipartFile(fixture('tracemonkey.pdf'), 'tm.pdf');
  const up = await admin.request({ method: 'POST', url: `/api/meetings/${meetingId}/documents`, ...mp });
  expect(up.statusCode).toBe(201);
  docId = up.json().id;
  // a draft until published (issue 15): the delegate below exports it as a member
  expect((await admin.post(`/api/documents/${docId}/publish`)).statusCode).toBe(200);
  for (let i = 0; i < STROKES; i++)
    expect((await drawAs('delegate1', docId, `stallstroke${i}abcdefghijklmn`, POINTS)).event?.type).toBe('stroke.add');
});
afterAll(async () => {
  await t.close();
});

const health = async () => {
  const started = performance.now();
  const res = await fetch(`${t.url}/api/health`);
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return performance.now() - started;
};

describe('annotated exports do not stall the server', () => {
  it(`${EXPORTS} parallel flattened exports of ${STROKES} strokes × ${POINTS} points: health keeps answering in between`, async () => {
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) baseline.push(await health());
    const cookie = delegate.cookie;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let inFlight = EXPORTS;
    const exports = Array.from({ length: EXPORTS }, async () => {
      const res = await fetch(`${t.url}/api/documents/${docId}/annotated.pdf?flatten=1`, { headers: { cookie } });
      const body = new Uint8Array(await res.arrayBuffer());
      inFlight--;
      return { status: res.status, body };
    });
    // health requests one after the other for as long as any export is under way
    const during: number[] = [];
    while (inFlight > 0) during.push(await health());
    const done = await Promise.all(exports);
    loop.disable();
    for (const d of done) {
      expect(d.status).toBe(200);
      expect(Buffer.from(d.body.subarray(0, 5)).toString()).toBe('%PDF-');
    }
    const worst = Math.max(...during);
    const base = Math.max(...baseline);
    const stalledMs = loop.max / 1e6;
    console.log(
      `[export-stall] health baseline max ${base.toFixed(1)} ms; during exports: ${during.length} answers, max ${worst.toFixed(1)} ms; event loop max delay ${stalledMs.toFixed(0)} ms`,
    );
    // interleaving, not a tight timing: several answers came back while the exports were being
    // made, and none waited anywhere near as long as the exports took (seconds on the main thread)
    expect(during.length).toBeGreaterThanOrEqual(5);
    // on the main thread these exports blocked the loop for 2.3 s and a health answer took 4.5 s;
    // in the pool a quiet machine shows ~40 ms, a 2-core box running other suites beside it up to
    // ~0.6 s (the process waits for a core, not for the exports): the bound sits between the two
    expect(worst).toBeLessThan(Math.max(1000, 20 * base));
    expect(stalledMs).toBeLessThan(1000);
  });

  it('more exports than EXPORTS_PER_USER at once: 429 EXPORT_BUSY, and the others complete', async () => {
    const cookie = delegate.cookie;
    const all = await Promise.all(
      Array.from({ length: 2 * EXPORTS }, async () => {
        const res = await fetch(`${t.url}/api/documents/${docId}/annotated.pdf?flatten=1`, { headers: { cookie } });
        return { status: res.status, body: res.status === 200 ? await res.arrayBuffer() : await res.json() };
      }),
    );
    const busy = all.filter((r) => r.status === 429);
    expect(busy.length).toBeGreaterThanOrEqual(1);
    expect((busy[0]!.body as { error: { code: string } }).error.code).toBe('EXPORT_BUSY');
    expect(all.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(all.every((r) => r.status === 200 || r.status === 429)).toBe(true);
  });
});

describe('per-person caps on the marks stored on a document', () => {
  it('refuses the stroke that would pass the points cap with ANNOTATION_QUOTA, and stores nothing of it', async () => {
    const t2 = await buildTestApp({
      config: {
        annotationStrokesPerSecond: 1e6,
        annotationStrokeBurst: 1e6,
        annotationMaxPointsPerDocument: 10_000,
        annotationMaxStrokesPerDocument: 1000,
      },
    });
    const prev = t;
    t = t2;
    try {
      const admin = await session(t.app, 'admin');
      const mid = (await admin.get('/api/meetings')).json()[0].id;
      meetingId = mid;
      const doc = (await admin.get(`/api/meetings/${mid}`)).json().documents[0].id;
      expect((await drawAs('delegate2', doc, 'capstroke1abcdefghijklmn', 5000)).event?.type).toBe('stroke.add');
      expect((await drawAs('delegate2', doc, 'capstroke2abcdefghijklmn', 5000)).event?.type).toBe('stroke.add');
      let err: unknown;
      try {
        await drawAs('delegate2', doc, 'capstroke3abcdefghijklmn', 1);
      } catch (e) {
        err = e;
      }
      expect((err as { code?: string }).code).toBe('ANNOTATION_QUOTA');
      expect(await sqlCount(t.app, 'select count(*) as n from annotation_strokes where document_id = ?', doc)).toBe(2);
      // the cap is per person: someone else still draws
      expect((await drawAs('delegate3', doc, 'capstroke4abcdefghijklmn', 10)).event?.type).toBe('stroke.add');
    } finally {
      t = prev;
      await t2.close();
    }
  });

  it('refuses the stroke past the strokes cap, counted again after a restart (from the log)', async () => {
    const t2 = await buildTestApp({
      config: { annotationStrokesPerSecond: 1e6, annotationStrokeBurst: 1e6, annotationMaxStrokesPerDocument: 3 },
    });
    const prev = t;
    t = t2;
    try {
      const admin = await session(t.app, 'admin');
      meetingId = (await admin.get('/api/meetings')).json()[0].id;
      const doc = (await admin.get(`/api/meetings/${meetingId}`)).json().documents[0].id;
      for (let i = 0; i < 3; i++)
        expect((await drawAs('delegate2', doc, `capcount${i}abcdefghijklmno`, 3)).event?.type).toBe('stroke.add');
      t.app.live.annotations.forget(meetingId); // as after a restart: the totals are folded from the log again
      await expect(drawAs('delegate2', doc, 'capcount9abcdefghijklmno', 3)).rejects.toMatchObject({ code: 'ANNOTATION_QUOTA' });
    } finally {
      t = prev;
      await t2.close();
    }
  });
});
