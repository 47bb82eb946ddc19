// Live annotations over real sockets: shared ink streams live and commits to everyone; private ink
// reaches no other socket, catch-up, snapshot, log or HTTP response; erase / undo / redo are events;
// a reconnecting client and a restarted server end with the same marks; limits refuse with codes.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, barrier, command, connect, demoMeeting, httpLogin, join, until, type LiveSocket } from '../helpers/live-client';
import type { Meeting, MeetingDetail, DocumentInfo } from '../../shared/api';
import { fixture } from '../helpers/fixtures';
import { multipartFile, session } from '../helpers/http';
import type { EventLog } from '../../shared/live-api';
import type { DocumentAnnotations, InkPoint, InkProgress, InkProgressMessage, StrokeAdd } from '../../shared/annotations';

let t: TestApp;
let m: MeetingDetail;
let mid: string;
let docId: string;
const cookies: Record<string, string> = {};
const sockets: Record<string, LiveSocket> = {};
const ink: Record<string, InkProgressMessage[]> = {};
const heads: Record<string, number[]> = {};
const USERS = ['chair', 'secretary', 'delegate1', 'delegate2', 'delegate3'] as const;

let k = 0;
const sid = () => `stroke${process.pid}x${String(++k).padStart(12, '0')}`;
const line = (x0: number, y0: number, n = 20): InkPoint[] =>
  Array.from({ length: n }, (_, i) => [x0 + i * 5, y0 + i * 2, 0.5 + (i % 5) / 20]);
const stroke = (over: Partial<StrokeAdd> = {}): StrokeAdd => ({
  strokeId: sid(),
  documentId: docId,
  page: 4,
  layer: 'shared',
  tool: 'pen',
  color: '#d62828',
  width: 2.5,
  points: line(100, 300),
  ...over,
});

async function open(u: string): Promise<LiveSocket> {
  const s = await connect(t.url, { cookie: cookies[u]! });
  ink[u] = [];
  heads[u] = [];
  s.on('ink.progress', (...batches) => ink[u]!.push(...batches));
  s.on('head', (h) => heads[u]!.push(h.seq));
  return s;
}
const annotations = async (u: string) =>
  (await api<DocumentAnnotations>(t.url, cookies[u]!, 'GET', `/api/documents/${docId}/annotations`)).json;
const ids = (a: DocumentAnnotations) => a.strokes.map((s) => s.strokeId).sort();

beforeAll(async () => {
  t = await buildTestApp({
    listen: true,
    config: {
      annotationMaxPoints: 300,
      annotationMaxNoteLength: 50,
      annotationStrokesPerSecond: 1000,
      annotationStrokeBurst: 1000,
    },
  });
  for (const u of USERS) cookies[u] = await httpLogin(t.url, u);
  m = await demoMeeting(t.url, cookies.chair!);
  mid = m.meeting.id;
  docId = m.documents.find((d) => d.pageCount >= 4)!.id;
  for (const u of USERS) {
    sockets[u] = await open(u);
    await join(sockets[u]!, mid);
  }
  expect(await command(sockets.chair!, mid, 'meeting.start', {})).toMatchObject({ ok: true });
});
afterAll(async () => {
  for (const s of Object.values(sockets)) s.close();
  await t.close();
});

describe('live annotations', () => {
  it('a shared stroke streams live to others as ink.progress, then commits as stroke.add for everyone', async () => {
    const A = sockets.delegate1!;
    const st = stroke();
    const batches: InkProgress[] = [0, 5, 10, 15].map((from) => ({
      meetingId: mid,
      strokeId: st.strokeId!,
      documentId: docId,
      page: 4,
      layer: 'shared',
      tool: 'pen',
      color: st.color,
      width: st.width,
      from,
      points: st.points.slice(from, from + 5),
    }));
    for (const b of batches) A.emit('ink.progress', b);
    await until(() => ink.delegate2!.length === 4 && ink.chair!.length === 4);
    expect(ink.delegate1).toHaveLength(0); // never echoed to the sender
    expect(ink.delegate2!.flatMap((b) => b.points)).toEqual(st.points);
    expect(ink.delegate2![0]).toMatchObject({
      userId: m.members.find((x) => x.username === 'delegate1')!.userId,
      strokeId: st.strokeId,
    });

    const ack = await command(A, mid, 'stroke.add', st);
    expect(ack).toMatchObject({ ok: true });
    await until(() => sockets.delegate2!.events.some((e) => e.type === 'stroke.add'));
    const e = sockets.delegate2!.events.find((x) => x.type === 'stroke.add')!;
    expect(e.payload).toMatchObject({ strokeId: st.strokeId, layer: 'shared', page: 4, points: st.points });
    expect(ids(await annotations('delegate2'))).toContain(st.strokeId);
  });

  it("a private stroke reaches no other socket, catch-up, snapshot, HTTP response or the officers' log", async () => {
    const A = sockets.delegate1!;
    const secret = stroke({ layer: 'private', color: '#123456', points: line(222, 333) });
    const before = Object.fromEntries(USERS.map((u) => [u, sockets[u]!.events.length]));
    // live batches of a private stroke: relayed to no one else
    A.emit('ink.progress', {
      meetingId: mid,
      strokeId: secret.strokeId!,
      documentId: docId,
      page: 4,
      layer: 'private',
      tool: 'pen',
      color: secret.color,
      width: 2,
      from: 0,
      points: secret.points,
    });
    const ack = await command(A, mid, 'stroke.add', secret);
    if (!ack.ok) throw new Error(JSON.stringify(ack));
    // and a private note
    const note = await command(
      A,
      mid,
      'stroke.add',
      stroke({ layer: 'private', tool: 'note', text: 'Ghi chú riêng: hỏi về ngân sách', points: [[50, 700, 0.5]] }),
    );
    expect(note).toMatchObject({ ok: true });
    await until(
      () =>
        sockets.delegate1!.events.filter((e) => e.type === 'stroke.add' && (e.payload as { layer: string }).layer === 'private')
          .length === 2,
    );
    // barrier: a round trip on every socket, after the acks (and after the relay's end-of-turn flush)
    for (const u of USERS) await barrier(sockets[u]!);
    const needle = secret.strokeId!;
    for (const u of USERS.filter((x) => x !== 'delegate1')) {
      const got = sockets[u]!.events.slice(before[u]);
      expect(JSON.stringify(got)).not.toContain(needle);
      expect(got.filter((e) => e.type.startsWith('stroke.'))).toHaveLength(0);
      expect(JSON.stringify(ink[u])).not.toContain(needle);
      // they learn only that the head moved, so their seq has no holes
      expect(heads[u]).toContain(ack.seq);
    }
    // a late joiner: catch-up from before, and a fresh snapshot
    const C = await open('delegate3');
    const catchUp = await join(C, mid, 0);
    expect(catchUp.ok).toBe(true);
    expect(JSON.stringify(catchUp)).not.toContain(needle);
    expect(JSON.stringify(catchUp)).not.toContain('ngân sách');
    const fresh = await join(await open('delegate2'), mid);
    expect(JSON.stringify(fresh)).not.toContain(needle);
    // the author's own catch-up has it
    const own = await join(await open('delegate1'), mid, 0);
    expect(JSON.stringify(own)).toContain(needle);
    // HTTP: others' GET and export, and the officers' log
    for (const u of ['chair', 'secretary', 'delegate2'] as const) {
      expect(ids(await annotations(u))).not.toContain(needle);
      const pdf = await fetch(`${t.url}/api/documents/${docId}/annotated.pdf?layers=private,shared,presenter`, {
        headers: { cookie: cookies[u]! },
      });
      expect(pdf.status).toBe(200);
      const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
      expect(text).not.toContain(`hopso-${needle}`);
    }
    const mine = await fetch(`${t.url}/api/documents/${docId}/annotated.pdf?layers=private`, {
      headers: { cookie: cookies.delegate1! },
    });
    const mineBytes = Buffer.from(await mine.arrayBuffer());
    expect(mineBytes.toString('latin1')).toContain(`hopso-${needle}`);
    // streamed as the original's bytes, then the update: the whole file, its length announced up front
    const original = Buffer.from(
      await (await fetch(`${t.url}/api/documents/${docId}/file`, { headers: { cookie: cookies.delegate1! } })).arrayBuffer(),
    );
    expect(Number(mine.headers.get('content-length'))).toBe(mineBytes.length);
    expect(mineBytes.length).toBeGreaterThan(original.length);
    expect(mineBytes.subarray(0, original.length).equals(original)).toBe(true);
    expect(mineBytes.subarray(original.length).toString('latin1')).toMatch(/^\s*\d+ 0 obj[\s\S]*startxref\s+\d+\s+%%EOF\s*$/);
    for (const u of ['chair', 'secretary'] as const) {
      const log = await api<EventLog>(t.url, cookies[u]!, 'GET', `/api/meetings/${mid}/events`);
      expect(log.json.verified).toBe(true);
      expect(JSON.stringify(log.json)).not.toContain(needle);
      expect(JSON.stringify(log.json)).not.toContain('ngân sách');
      expect(log.json.events.find((e) => e.seq === ack.seq)).toMatchObject({
        type: 'stroke.add',
        payload: { redacted: 'private' },
      });
    }
    expect(ids(await annotations('delegate1'))).toContain(needle);
    // someone else cannot erase it, and learns nothing about it
    expect(await command(sockets.chair!, mid, 'stroke.erase', { strokeId: needle })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it("someone else's private mark, shown or erased, answers erase, undo and redo exactly as an id that does not exist", async () => {
    const author = sockets.secretary!;
    const shown = stroke({ layer: 'private', points: line(30, 30) });
    const erased = stroke({ layer: 'private', points: line(40, 40) });
    for (const st of [shown, erased]) expect(await command(author, mid, 'stroke.add', st)).toMatchObject({ ok: true });
    expect(await command(author, mid, 'stroke.erase', { strokeId: erased.strokeId! })).toMatchObject({ ok: true });
    const answer = (a: Awaited<ReturnType<typeof command>>) => (a.ok ? 'ok' : `${a.error.code}: ${a.error.message}`);
    for (const u of ['chair', 'delegate2'] as const) {
      const s = sockets[u]!;
      const none = answer(await command(s, mid, 'stroke.erase', { strokeId: sid() }));
      expect(none).toMatch(/^NOT_FOUND/);
      for (const id of [shown.strokeId!, erased.strokeId!])
        expect(answer(await command(s, mid, 'stroke.erase', { strokeId: id }))).toBe(none);
      // undo and redo name no mark: they act on the sender's own history only, never reach another's
      const undo = await command(s, mid, 'stroke.undo', { documentId: docId });
      if (undo.ok) await until(() => s.events.some((e) => e.seq === undo.seq));
      const undone = undo.ok ? (s.events.find((e) => e.seq === undo.seq)!.payload as { strokeId: string }) : undefined;
      expect([shown.strokeId, erased.strokeId]).not.toContain(undone?.strokeId);
      if (undo.ok) expect(await command(s, mid, 'stroke.redo', { documentId: docId })).toMatchObject({ ok: true });
    }
  });

  it('a new stroke id must be long enough to be unguessable: short ids are refused and store nothing', async () => {
    // ids are one namespace, so a taken id answers CONFLICT even for another member's private mark;
    // that answer must be worthless to a prober, which only ids with room for 128 random bits ensure
    const before = ids(await annotations('delegate3')).length;
    for (const strokeId of ['abcdefgh', 'stroke-123456', 'x'.repeat(21)]) {
      expect(await command(sockets.delegate3!, mid, 'stroke.add', stroke({ strokeId }))).toMatchObject({
        ok: false,
        error: { code: 'INVALID' },
      });
    }
    expect(ids(await annotations('delegate3'))).toHaveLength(before);
    expect(await command(sockets.delegate3!, mid, 'stroke.add', stroke({ strokeId: 'y'.repeat(22) }))).toMatchObject({
      ok: true,
    });
  });

  it('erase, undo and redo are logged events; a reconnecting client ends with the same marks', async () => {
    const A = sockets.delegate2!;
    const s1 = stroke({ points: line(10, 10) });
    const s2 = stroke({ tool: 'highlighter', color: '#ffd60a', width: 12, points: line(20, 500) });
    expect(await command(A, mid, 'stroke.add', s1)).toMatchObject({ ok: true });
    expect(await command(A, mid, 'stroke.add', s2)).toMatchObject({ ok: true });
    // B goes away after seeing both
    const B = sockets.delegate3!;
    await until(() => B.events.some((e) => (e.payload as { strokeId?: string }).strokeId === s2.strokeId));
    const lastSeq = Math.max(...B.events.map((e) => e.seq), ...heads.delegate3!);
    B.close();

    expect(await command(sockets.delegate1!, mid, 'stroke.erase', { strokeId: s1.strokeId! })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await command(A, mid, 'stroke.erase', { strokeId: s1.strokeId! })).toMatchObject({ ok: true });
    expect(await command(A, mid, 'stroke.erase', { strokeId: s1.strokeId! })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(await command(A, mid, 'stroke.undo', { documentId: docId })).toMatchObject({ ok: true }); // s1 back
    expect(await command(A, mid, 'stroke.undo', { documentId: docId })).toMatchObject({ ok: true }); // s2 gone
    expect(await command(A, mid, 'stroke.redo', { documentId: docId })).toMatchObject({ ok: true }); // s2 back
    expect(await command(A, mid, 'stroke.undo', { documentId: docId })).toMatchObject({ ok: true }); // s2 gone again
    // the chair erases someone else's shared mark
    const chairErase = await command(sockets.chair!, mid, 'stroke.erase', { strokeId: s1.strokeId! });
    expect(chairErase, JSON.stringify(chairErase)).toMatchObject({ ok: true });

    const expected = ids(await annotations('delegate3'));
    expect(expected).not.toContain(s1.strokeId);
    expect(expected).not.toContain(s2.strokeId);

    // B reconnects from its last seq: the catch-up events fold into the same set
    const B2 = await open('delegate3');
    sockets.delegate3 = B2;
    const back = await join(B2, mid, lastSeq);
    if (!back.ok || !back.events) throw new Error('catch-up expected');
    const types = back.events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['stroke.erase', 'stroke.undo', 'stroke.redo']));
    const { applyAnnotationEvent, emptyAnnotationState } = await import('../../shared/annotations');
    const before = await annotations('delegate3');
    const st = emptyAnnotationState();
    for (const e of (await api<EventLog>(t.url, cookies.chair!, 'GET', `/api/meetings/${mid}/events`)).json.events) {
      applyAnnotationEvent(st, { ...e, meetingId: mid });
    }
    const visibleFromLog = [...st.strokes.values()]
      .filter((s) => s.documentId === docId && s.layer !== 'private')
      .map((s) => s.strokeId)
      .sort();
    expect(ids(before).filter((x) => visibleFromLog.includes(x))).toEqual(ids(before));
    expect(ids(before)).toEqual(expected);
  });

  it('the presenter layer is for the chair or presenter; observers and guests are limited', async () => {
    expect(await command(sockets.delegate1!, mid, 'stroke.add', stroke({ layer: 'presenter' }))).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await command(sockets.chair!, mid, 'stroke.add', stroke({ layer: 'presenter' }))).toMatchObject({ ok: true });
  });

  it('limits: too many points, a long note, a page past the end, a malformed point', async () => {
    const A = sockets.delegate1!;
    expect(await command(A, mid, 'stroke.add', stroke({ points: line(0, 0, 301) }))).toMatchObject({
      ok: false,
      error: { code: 'STROKE_TOO_LONG' },
    });
    expect(
      await command(A, mid, 'stroke.add', stroke({ tool: 'note', text: 'x'.repeat(51), points: [[1, 1, 0.5]] })),
    ).toMatchObject({ ok: false, error: { code: 'NOTE_TOO_LONG' } });
    expect(await command(A, mid, 'stroke.add', stroke({ page: 999 }))).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    expect(await command(A, mid, 'stroke.add', { ...stroke(), points: [[1, 2]] } as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
    expect(await command(A, mid, 'stroke.add', stroke({ color: 'red' }))).toMatchObject({
      ok: false,
      error: { code: 'INVALID' },
    });
  });
});

describe('stroke ids and documents', () => {
  // stroke.add checks ids and page counts against memory; the database keys stay the last word
  it('a retry answers its first seq; a stroke id is used once across meetings; a deleted document takes no more marks', async () => {
    const A = sockets.chair!;
    const s1 = stroke();
    const first = await command(A, mid, 'stroke.add', s1, 'retry-of-a-stroke');
    const retry = await command(A, mid, 'stroke.add', s1, 'retry-of-a-stroke');
    expect(first.ok && retry.ok && retry.seq === first.seq).toBe(true);
    expect(await command(A, mid, 'stroke.add', s1)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    // a second meeting, with the chair as its chair and a document of its own
    const admin = await session(t.app, 'admin');
    const other = (await admin.post('/api/meetings', { title: 'Họp thứ hai' })).json() as Meeting;
    expect((await admin.post(`/api/meetings/${other.id}/members`, { username: 'chair', role: 'chair' })).statusCode).toBe(201);
    const mp = multipartFile(fixture('sizes.pdf'), 'sizes.pdf');
    const up = await admin.request({
      method: 'POST',
      url: `/api/meetings/${other.id}/documents`,
      payload: mp.payload,
      headers: mp.headers,
    });
    expect(up.statusCode).toBe(201);
    const otherDoc = (up.json() as DocumentInfo).id;
    await join(A, other.id);
    const there = (over: Partial<StrokeAdd>) =>
      command(A, other.id, 'stroke.add', { ...stroke({ documentId: otherDoc, page: 1 }), ...over });
    expect(await there({ strokeId: s1.strokeId! })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await there({})).toMatchObject({ ok: true });
    expect((await admin.del(`/api/meetings/${other.id}/documents/${otherDoc}`)).statusCode).toBe(204);
    expect(await there({})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const log = await api<EventLog>(t.url, cookies.chair!, 'GET', `/api/meetings/${other.id}/events`);
    expect(log.json.verified).toBe(true);
    expect(log.json.events.filter((e) => e.type === 'stroke.add')).toHaveLength(1);
  });
});

describe('annotation limits per second and a restart', () => {
  it('refuses strokes beyond the per-user rate with RATE_LIMITED, and a restarted server serves the same marks', async () => {
    const app = await buildTestApp({ listen: true, config: { annotationStrokesPerSecond: 2, annotationStrokeBurst: 3 } });
    const dataDir = app.dataDir;
    try {
      const cookie = await httpLogin(app.url, 'delegate1');
      const mm = await demoMeeting(app.url, cookie);
      const d = mm.documents[0]!.id;
      const s = await connect(app.url, { cookie });
      await join(s, mm.meeting.id);
      const acks = [];
      for (let i = 0; i < 5; i++)
        acks.push(
          await command(s, mm.meeting.id, 'stroke.add', {
            documentId: d,
            page: 1,
            layer: i % 2 ? 'private' : 'shared',
            tool: 'pen',
            color: '#000000',
            width: 2,
            points: line(i * 10, 100),
          }),
        );
      expect(acks.filter((a) => a.ok)).toHaveLength(3);
      expect(acks.at(-1)).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      const before = (await api<DocumentAnnotations>(app.url, cookie, 'GET', `/api/documents/${d}/annotations`)).json;
      expect(before.strokes).toHaveLength(3);
      s.close();
      await app.app.close();
      const again = await buildTestApp({ listen: true, dataDir });
      try {
        const c2 = await httpLogin(again.url, 'delegate1');
        const after = (await api<DocumentAnnotations>(again.url, c2, 'GET', `/api/documents/${d}/annotations`)).json;
        expect(after.strokes).toEqual(before.strokes);
        expect(after.canUndo).toBe(true);
        const s2 = await connect(again.url, { cookie: c2 });
        await join(s2, mm.meeting.id);
        const u = await command(s2, mm.meeting.id, 'stroke.undo', { documentId: d });
        expect(u, JSON.stringify(u)).toMatchObject({ ok: true });
        expect(
          (await api<DocumentAnnotations>(again.url, c2, 'GET', `/api/documents/${d}/annotations`)).json.strokes,
        ).toHaveLength(2);
        s2.close();
      } finally {
        await again.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('live ink latency (printed, not asserted)', () => {
  it('pen point → other socket: p50 / p95 over 300 batches at ~60 Hz', async () => {
    const A = sockets.delegate1!;
    const B = sockets.delegate2!;
    const delays: number[] = [];
    const sentAt = new Map<number, number>();
    const onInk = (...batches: InkProgressMessage[]) => {
      for (const p of batches) {
        const s = sentAt.get(p.from);
        if (p.strokeId === 'latencyprobe01' && s !== undefined) delays.push(performance.now() - s);
      }
    };
    B.on('ink.progress', onInk);
    for (let i = 0; i < 300; i++) {
      sentAt.set(i, performance.now());
      A.emit('ink.progress', {
        meetingId: mid,
        strokeId: 'latencyprobe01',
        documentId: docId,
        page: 4,
        layer: 'shared',
        tool: 'pen',
        color: '#000000',
        width: 2,
        from: i,
        points: [[100 + i, 200, 0.5]],
      });
      await new Promise((r) => setTimeout(r, 16));
    }
    await until(() => delays.length >= 290, 5000).catch(() => undefined);
    B.off('ink.progress', onInk);
    const sorted = [...delays].sort((a, b) => a - b);
    const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))]!;
    console.log(
      `[ink latency] ${delays.length}/300 batches received; p50 ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${sorted.at(-1)!.toFixed(2)} ms`,
    );
    expect(delays.length).toBeGreaterThan(0);
  });
});
