// Presence rosters of other processes: merged into the roster a process sends, replaced by each
// newer roster from the same process, and dropped when that process stops refreshing it (it died).
import { describe, expect, it } from 'vitest';
import { PresenceTracker, type PresencePartial } from '../../server/realtime/presence';

const at = (userId: string, page: number) => ({ userId, following: false, documentId: 'd', page, updatedAt: 1 });

describe('PresenceTracker with other processes', () => {
  it('merges, replaces, and expires remote rosters; shares only its own sockets', async () => {
    const shared: PresencePartial[] = [];
    const t = new PresenceTracker(
      () => {},
      () => ['u1', 'u2', 'u3'],
      1000,
      (p) => shared.push(p),
      'me',
      30_000,
    );
    t.join('m', 's1', 'u1');
    t.mergeRemote({ node: 'other', meetingId: 'm', sockets: [at('u2', 3)] }, 0);
    const online = async (now: number) =>
      (await t.snapshot('m', now)).users
        .filter((u) => u.online)
        .map((u) => u.userId)
        .sort();
    expect(await online(1000)).toEqual(['u1', 'u2']);
    expect((await t.snapshot('m', 1000)).users.find((u) => u.userId === 'u2')).toMatchObject({ page: 3 });
    // a newer roster from the same process replaces the older one
    t.mergeRemote({ node: 'other', meetingId: 'm', sockets: [at('u3', 1)] }, 2000);
    expect(await online(2000)).toEqual(['u1', 'u3']);
    // its own roster coming back through Redis is ignored
    t.mergeRemote({ node: 'me', meetingId: 'm', sockets: [at('u2', 1)] }, 2000);
    expect(await online(2000)).toEqual(['u1', 'u3']);
    // not refreshed for longer than the time to live: that process is gone
    expect(await online(2000 + 30_001)).toEqual(['u1']);
    t.shareAll();
    expect(shared.at(-1)).toMatchObject({ node: 'me', meetingId: 'm', sockets: [{ userId: 'u1' }] });
    t.close();
  });
});
