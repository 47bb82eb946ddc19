// A meeting for vote, proxy and floor tests: the demo meeting plus `extraVoters` participants, a
// guest and an observer, everyone logged in on a real socket and joined.
import type { TestApp } from './build-app';
import { api, command, connect, demoMeeting, httpLogin, join, type LiveSocket } from './live-client';
import { createUser } from '../../server/services/users';
import { addMember } from '../../server/services/members';
import { PROTOCOL_VERSION, type CommandAck, type CommandPayloads, type CommandType } from '../../shared/events';
import type { MeetingRole } from '../../shared/roles';

export interface VotingMeeting {
  meetingId: string;
  /** username → socket */
  s: Record<string, LiveSocket>;
  /** username → user id */
  id: Record<string, string>;
  /** voting usernames: chair, delegate1..5, then voter01.. */
  voters: string[];
  room: LiveSocket;
  cmd: <T extends CommandType>(
    user: string,
    type: T,
    payload: CommandPayloads[T] | Record<string, unknown>,
    id?: string,
  ) => Promise<CommandAck>;
  close: () => void;
}

export async function votingMeeting(t: TestApp, extraVoters = 0): Promise<VotingMeeting> {
  const extra: [string, MeetingRole][] = [
    ...Array.from(
      { length: extraVoters },
      (_, i) => [`voter${String(i + 1).padStart(2, '0')}`, 'participant'] as [string, MeetingRole],
    ),
    ['guest1', 'guest'],
    ['observer1', 'observer'],
  ];
  const chairCookie = await httpLogin(t.url, 'chair');
  const m = await demoMeeting(t.url, chairCookie);
  const meetingId = m.meeting.id;
  await Promise.all(
    extra.map(async ([username]) =>
      createUser(t.app.database, { username, fullName: `Người ${username}`, password: 'demo1234' }),
    ),
  );
  await t.app.database.write(meetingId, async (tx, tt) => {
    for (const [username, role] of extra) await addMember(tx, tt, meetingId, username, role);
  });
  const users = ['chair', 'secretary', 'delegate1', 'delegate2', 'delegate3', 'delegate4', 'delegate5', ...extra.map(([u]) => u)];
  const s: Record<string, LiveSocket> = {};
  await Promise.all(
    users.map(async (u) => {
      const cookie = u === 'chair' ? chairCookie : await httpLogin(t.url, u);
      s[u] = await connect(t.url, { cookie });
      const ack = await join(s[u], meetingId);
      if (!ack.ok) throw new Error(`join ${u}: ${ack.error.code}`);
    }),
  );
  const full = await api<{ members: { userId: string; username: string }[] }>(
    t.url,
    chairCookie,
    'GET',
    `/api/meetings/${meetingId}`,
  );
  const id = Object.fromEntries(full.json.members.map((x) => [x.username, x.userId]));
  const link = await api<{ token: string }>(t.url, chairCookie, 'POST', `/api/meetings/${meetingId}/room-token`);
  const room = await connect(t.url, { auth: { protocol: PROTOCOL_VERSION, roomToken: link.json.token } });
  await join(room, meetingId);
  const voters = [
    'chair',
    'delegate1',
    'delegate2',
    'delegate3',
    'delegate4',
    'delegate5',
    ...extra.filter(([, r]) => r === 'participant').map(([u]) => u),
  ];
  return {
    meetingId,
    s,
    id,
    voters,
    room,
    cmd: (user, type, payload, cid) => command(s[user]!, meetingId, type, payload, cid),
    close: () => {
      for (const x of [...Object.values(s), room]) x.close();
    },
  };
}
