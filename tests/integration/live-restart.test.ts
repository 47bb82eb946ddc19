// After a restart the room is exactly as it was (rebuilt from the log), the chain verifies, and an
// edited row is detected.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { api, command, connect, demoMeeting, httpLogin, join } from '../helpers/live-client';
import type { EventLog } from '../../shared/live-api';
import type { MeetingState } from '../../shared/meeting-state';
import { sqlRun } from '../helpers/raw-sql';

const apps: TestApp[] = [];
let dataDir = '';
afterAll(async () => {
  for (const a of apps) await a.close().catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('restart', () => {
  it('rebuilds the meeting from its log, the chain verifies, and tampering is detected', async () => {
    const first = await buildTestApp({ listen: true });
    apps.push(first);
    dataDir = first.dataDir;
    let cookie = await httpLogin(first.url, 'chair');
    const m = await demoMeeting(first.url, cookie);
    const mid = m.meeting.id;
    const s = await connect(first.url, { cookie });
    await join(s, mid);
    const secretary = await connect(first.url, { cookie: await httpLogin(first.url, 'secretary') });
    const doc = m.documents[0]!;
    const delegate1 = m.members.find((x) => x.username === 'delegate1')!;
    for (const [type, payload] of [
      ['meeting.start', {}],
      ['agenda.open', { itemId: m.agenda[2]!.id }],
      ['document.show', { documentId: doc.id }],
      ['page.set', { documentId: doc.id, page: 3, view: { fit: 'custom', zoom: 1.5, x: 0.5, y: 0.25 } }],
      ['presenter.set', { userId: delegate1.userId }],
      ['meeting.pause', {}],
    ] as const)
      expect(await command(s, mid, type, payload)).toMatchObject({ ok: true });
    expect(
      await command(secretary, mid, 'attendance.mark', { userId: delegate1.userId, status: 'late', reason: 'tắc đường' }),
    ).toMatchObject({ ok: true });
    const before = structuredClone(first.app.live.runtime.state(mid));
    const logBefore = await api<EventLog>(first.url, cookie, 'GET', `/api/meetings/${mid}/events`);
    expect(logBefore.json).toMatchObject({ verified: true, brokenAtSeq: null });
    expect(logBefore.json.events).toHaveLength(7);
    expect(logBefore.json.headHash).toBe(logBefore.json.events.at(-1)!.hash);
    s.close();
    secretary.close();
    await first.app.close();

    const second = await buildTestApp({ listen: true, dataDir });
    apps.push(second);
    cookie = await httpLogin(second.url, 'chair');
    const back = await connect(second.url, { cookie });
    const j = await join(back, mid);
    if (!j.ok || !j.snapshot) throw new Error(JSON.stringify(j));
    expect(j.snapshot).toEqual<MeetingState>(before);
    expect(j.snapshot).toMatchObject({
      status: 'paused',
      presenterId: delegate1.userId,
      follow: { page: 3, view: { zoom: 1.5 } },
    });
    // meetings.status followed the log
    expect(
      (await api<{ meeting: { status: string } }>(second.url, cookie, 'GET', `/api/meetings/${mid}`)).json.meeting.status,
    ).toBe('paused');
    // the chain continues across the restart
    expect(await command(back, mid, 'meeting.resume', {})).toMatchObject({ ok: true, seq: 8 });
    const after = await api<EventLog>(second.url, cookie, 'GET', `/api/meetings/${mid}/events`);
    expect(after.json.verified).toBe(true);
    expect(after.json.events[7]!.prevHash).toBe(logBefore.json.headHash);

    await sqlRun(
      second.app,
      `UPDATE meeting_events SET payload = ? WHERE meeting_id = ? AND seq = 4`,
      `{"documentId":"${doc.id}","page":4}`,
      mid,
    );
    const tampered = await api<EventLog>(second.url, cookie, 'GET', `/api/meetings/${mid}/events`);
    expect(tampered.json).toMatchObject({ verified: false, brokenAtSeq: 4 });
    back.close();
  });
});
