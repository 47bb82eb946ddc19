// The authorisation matrix: every HTTP route and every socket command × every kind of caller.
// Each cell states allow or deny; a denied call changes nothing stored. A new route or command
// without a row here fails the test, so the matrix cannot silently fall behind the code.
import { eq, max } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { asCookie, client, multipartFile, session, type Session } from '../helpers/http';
import { fixture } from '../helpers/fixtures';
import { command, connect, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import { COMMAND_TYPES, type CommandType } from '../../shared/events';

// organiser: an account an admin made an organiser (may create meetings), not a member of the demo meeting
type Who = 'admin' | 'chair' | 'secretary' | 'participant' | 'guest' | 'observer' | 'outsider' | 'organiser' | 'anonymous';
const EVERYONE: Who[] = ['admin', 'chair', 'secretary', 'participant', 'guest', 'observer', 'outsider', 'organiser', 'anonymous'];
const MEMBERS: Who[] = ['admin', 'chair', 'secretary', 'participant', 'guest', 'observer'];
const OFFICERS: Who[] = ['admin', 'chair', 'secretary'];
/** may create meetings: admin, and the organiser accounts (the demo chair and secretary are organisers) */
const CREATORS: Who[] = ['admin', 'chair', 'secretary', 'organiser'];
const LOGGED_IN: Who[] = EVERYONE.filter((w) => w !== 'anonymous');

let t: TestApp;
const s = {} as Record<Who, Session>;
let mid = '',
  otherMid = '',
  docId = '',
  itemId = '';
const usernames: Record<Exclude<Who, 'anonymous' | 'admin'>, string> = {
  chair: 'chair',
  secretary: 'secretary',
  participant: 'delegate1',
  guest: 'khach',
  observer: 'dythinh',
  outsider: 'ngoai',
  organiser: 'tochuc',
};

const TABLES = [
  'users',
  'sessions',
  'meetings',
  'meetingMembers',
  'agendaItems',
  'documents',
  'agendaItemDocuments',
  'meetingEvents',
  'loginThrottles',
] as const;
/** Every row of those tables, through the Store (either database): rows sorted, since pg has no natural order. */
const snapshot = () =>
  t.app.database.read(async (q, tt) => {
    const parts: string[] = [];
    for (const tb of TABLES) {
      const rows: unknown[] = await q.select().from(tt[tb]);
      parts.push(JSON.stringify(rows.map((r) => JSON.stringify(r)).sort()));
    }
    return parts.join('\n');
  });

beforeAll(async () => {
  t = await buildTestApp({ listen: true });
  s.admin = await session(t.app, 'admin');
  for (const [username, fullName] of [
    ['khach', 'Khách Mời'],
    ['dythinh', 'Người Dự Thính'],
    ['ngoai', 'Người Ngoài'],
  ]) {
    expect((await s.admin.post('/api/users', { username, fullName, password: 'demo1234' })).statusCode).toBe(201);
  }
  mid = (await s.admin.get('/api/meetings')).json()[0].id;
  expect(
    (await s.admin.post('/api/users', { username: 'tochuc', fullName: 'Người Tổ Chức', password: 'demo1234', isOrganiser: true }))
      .statusCode,
  ).toBe(201);
  await s.admin.post(`/api/meetings/${mid}/members`, { username: 'khach', role: 'guest' });
  await s.admin.post(`/api/meetings/${mid}/members`, { username: 'dythinh', role: 'observer' });
  otherMid = (await s.admin.post('/api/meetings', { title: 'Cuộc họp khác' })).json().id;
  await s.admin.post(`/api/meetings/${otherMid}/members`, { username: 'ngoai', role: 'participant' });
  for (const [who, username] of Object.entries(usernames)) s[who as Who] = await session(t.app, username);
  s.anonymous = { ...client(t.app), userId: '' } as Session;
  const detail = (await s.chair.get(`/api/meetings/${mid}`)).json();
  docId = detail.documents[0].id;
  itemId = detail.agenda[0].id;
});
afterAll(async () => {
  await t.close();
});

/**
 * A task of the demo meeting owned by the participant, with a report and an evidence file (the bytes
 * of a demo document), written straight into the tables: the matrix asks only who may touch it.
 */
let taskN = 0;
async function newTask(): Promise<{ taskId: string; reportId: string; evidenceId: string }> {
  const n = ++taskN;
  const at = new Date().toISOString();
  const [taskId, reportId, evidenceId] = [`authztask${n}`, `authzreport${n}`, `authzevidence${n}`];
  await t.app.database.write(mid, async (q, tt) => {
    const [doc] = await q.select({ sha256: tt.documents.sha256 }).from(tt.documents).where(eq(tt.documents.id, docId));
    const owner = s.participant.userId;
    await q.insert(tt.tasks).values({
      id: taskId,
      meetingId: mid,
      conclusionKey: 'conclusions',
      title: 'Nhiệm vụ',
      ownerId: owner,
      ownerUnit: null,
      deadline: '2030-01-01',
      status: 'todo',
      createdAt: at,
      updatedAt: at,
    });
    await q
      .insert(tt.taskReports)
      .values({ id: reportId, taskId, authorId: owner, text: 'Báo cáo', status: 'in_progress', createdAt: at });
    await q.insert(tt.taskEvidence).values({
      id: evidenceId,
      reportId,
      taskId,
      sha256: doc!.sha256,
      filename: 'a.pdf',
      mime: 'application/pdf',
      size: 1,
      createdAt: at,
    });
  });
  return { taskId, reportId, evidenceId };
}

// ---- HTTP
interface RouteCase {
  allow: Who[];
  /** open to anyone by design; exercised anonymously only */
  public?: boolean;
  /** an allowed caller may get a 404 for a thing of their own that does not exist yet */
  missingOk?: boolean;
  /** builds the request; may create throw-away things with the admin session so each call has a real target */
  make: () => Promise<{ url: string; body?: unknown; multipart?: boolean }>;
}
const at = (url: string, body?: unknown) => async () => ({ url, body });
const freshItem = async () => (await s.admin.post(`/api/meetings/${mid}/agenda`, { title: 'Tạm' })).json().id as string;
const freshDoc = async () => {
  const mp = multipartFile(fixture('sizes.pdf'), 'sizes.pdf');
  return (
    await s.admin.request({ method: 'POST', url: `/api/meetings/${mid}/documents`, payload: mp.payload, headers: mp.headers })
  ).json().id as string;
};

/** a published document with a published second version (issue 15): the second's id */
const freshVersion = async () => {
  const first = await freshDoc();
  await s.admin.post(`/api/documents/${first}/publish`);
  const mp = multipartFile(fixture('sizes.pdf'), 'sizes-2.pdf');
  const second = (
    await s.admin.request({ method: 'POST', url: `/api/documents/${first}/versions`, payload: mp.payload, headers: mp.headers })
  ).json().id as string;
  await s.admin.post(`/api/documents/${second}/publish`);
  return second;
};
const opinionBody = () => ({
  title: 'Xin ý kiến',
  summary: '',
  documentIds: [],
  questions: ['Đồng ý?'],
  deadline: new Date(Date.now() + 3600_000).toISOString(),
  rule: { kind: 'majority_of_members' },
  recipientIds: [s.participant.userId],
});
const freshOpinion = async () => (await s.admin.post(`/api/meetings/${mid}/opinions`, opinionBody())).json().id as string;

const ROUTES: Record<string, RouteCase> = {
  'get /api/health': { allow: EVERYONE, make: at('/api/health') },
  'get /api/health/ready': { allow: EVERYONE, make: at('/api/health/ready') },
  // what the login page offers: public by design, no secrets in it
  'get /api/auth/providers': { allow: EVERYONE, make: at('/api/auth/providers') },
  // the live protocol this server speaks: public, the app asks it before signing in (offline first)
  'get /api/version': { allow: EVERYONE, make: at('/api/version') },
  // OpenID Connect: both answer with a redirect (here to the login page: no provider configured);
  // the refusals of a forged or replayed callback are in oidc-sign-in.test.ts
  'get /api/auth/oidc/start': { allow: EVERYONE, public: true, make: at('/api/auth/oidc/start') },
  'get /api/auth/oidc/callback': { allow: EVERYONE, public: true, make: at('/api/auth/oidc/callback?code=x&state=y') },
  // login and logout change the caller's own session: checked on their own below, not per principal
  'post /api/auth/login': {
    allow: EVERYONE,
    public: true,
    make: at('/api/auth/login', { username: 'chair', password: 'demo1234' }),
  },
  'post /api/auth/logout': { allow: EVERYONE, public: true, make: at('/api/auth/logout') },
  'get /api/auth/me': { allow: LOGGED_IN, make: at('/api/auth/me') },
  // the room routes answer a room cookie only, never a personal session
  'post /api/room/session': { allow: [], make: at('/api/room/session', { token: 'x.1.y' }) },
  'get /api/room/meeting': { allow: [], make: at('/api/room/meeting') },
  'get /api/room/documents/{id}/file': { allow: [], make: async () => ({ url: `/api/room/documents/${docId}/file` }) },
  'get /api/room/documents/{id}/annotations': {
    allow: [],
    make: async () => ({ url: `/api/room/documents/${docId}/annotations` }),
  },
  'get /api/users': { allow: ['admin'], make: at('/api/users') },
  'post /api/users': {
    allow: ['admin'],
    make: async () => ({
      url: '/api/users',
      body: { username: `u${Math.random().toString(36).slice(2, 8)}`, fullName: 'Tạm', password: 'abcdefgh' },
    }),
  },
  'patch /api/users/{id}': {
    allow: ['admin'],
    make: async () => ({ url: `/api/users/${s.participant.userId}`, body: { fullName: 'Lê Văn Cường' } }),
  },
  'delete /api/users/{id}': {
    allow: ['admin'],
    make: async () => ({
      url: `/api/users/${(await s.admin.post('/api/users', { username: `x${Math.random().toString(36).slice(2, 8)}`, fullName: 'Xoá', password: 'abcdefgh' })).json().id}`,
    }),
  },
  'get /api/admin/audit': { allow: ['admin'], make: at('/api/admin/audit?limit=5') },
  'get /api/admin/login-throttles': { allow: ['admin'], make: at('/api/admin/login-throttles') },
  'get /api/admin/status': { allow: ['admin'], make: at('/api/admin/status') },
  'delete /api/admin/login-throttles/{key}': {
    allow: ['admin'],
    make: async () => {
      // a failed login for a made-up name, from an address of its own, leaves a counter to lift
      const name = `t${Math.random().toString(36).slice(2, 8)}`;
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: name, password: 'wrong' },
        remoteAddress: '10.77.0.1',
      });
      return { url: `/api/admin/login-throttles/${encodeURIComponent(`account:${name}`)}` };
    },
  },
  'get /api/admin/trusted-certificates': { allow: ['admin'], make: at('/api/admin/trusted-certificates') },
  // an unreadable certificate: the admin gets BAD_CERTIFICATE (400), everyone else a denial
  'post /api/admin/trusted-certificates': {
    allow: ['admin'],
    make: at('/api/admin/trusted-certificates', { pem: 'not a certificate' }),
  },
  'delete /api/admin/trusted-certificates/{id}': {
    allow: ['admin'],
    missingOk: true,
    make: at('/api/admin/trusted-certificates/no-such-id'),
  },
  'get /api/meetings': { allow: LOGGED_IN, make: at('/api/meetings') },
  'post /api/meetings': { allow: CREATORS, make: async () => ({ url: '/api/meetings', body: { title: 'Mới' } }) },
  'get /api/meetings/{id}': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}` }) },
  'patch /api/meetings/{id}': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}`, body: { location: 'Phòng họp số 1, tầng 3, trụ sở Văn phòng' } }),
  },
  'delete /api/meetings/{id}': {
    allow: ['admin'],
    make: async () => {
      const id = (await s.admin.post('/api/meetings', { title: 'Xoá' })).json().id as string;
      for (const [who, role] of [
        ['chair', 'chair'],
        ['secretary', 'secretary'],
        ['participant', 'participant'],
        ['guest', 'guest'],
        ['observer', 'observer'],
      ] as const) {
        await s.admin.post(`/api/meetings/${id}/members`, { username: usernames[who], role });
      }
      return { url: `/api/meetings/${id}` };
    },
  },
  'get /api/meetings/{id}/members': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/members` }) },
  'get /api/meetings/{id}/member-candidates': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/member-candidates` }),
  },
  'post /api/meetings/{id}/members': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/members`, body: { username: 'delegate2', role: 'participant' } }),
  },
  'delete /api/meetings/{id}/members/{userId}': {
    allow: OFFICERS,
    make: async () => {
      const username = `m${Math.random().toString(36).slice(2, 8)}`;
      const user = (await s.admin.post('/api/users', { username, fullName: 'Thành viên tạm', password: 'abcdefgh' })).json();
      await s.admin.post(`/api/meetings/${mid}/members`, { username, role: 'observer' });
      return { url: `/api/meetings/${mid}/members/${user.id}` };
    },
  },
  'get /api/meetings/{id}/agenda': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/agenda` }) },
  'post /api/meetings/{id}/agenda': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/agenda`, body: { title: 'Mục mới' } }),
  },
  'put /api/meetings/{id}/agenda/order': {
    allow: OFFICERS,
    make: async () => ({
      url: `/api/meetings/${mid}/agenda/order`,
      body: { itemIds: (await s.admin.get(`/api/meetings/${mid}/agenda`)).json().map((i: { id: string }) => i.id) },
    }),
  },
  'patch /api/meetings/{id}/agenda/{itemId}': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/agenda/${await freshItem()}`, body: { title: 'Đổi tên' } }),
  },
  'delete /api/meetings/{id}/agenda/{itemId}': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/agenda/${await freshItem()}` }),
  },
  'post /api/meetings/{id}/agenda/{itemId}/documents': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/agenda/${await freshItem()}/documents`, body: { documentId: docId } }),
  },
  'delete /api/meetings/{id}/agenda/{itemId}/documents/{documentId}': {
    allow: OFFICERS,
    make: async () => {
      const item = await freshItem();
      await s.admin.post(`/api/meetings/${mid}/agenda/${item}/documents`, { documentId: docId });
      return { url: `/api/meetings/${mid}/agenda/${item}/documents/${docId}` };
    },
  },
  'get /api/meetings/{id}/documents': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/documents` }) },
  'post /api/meetings/{id}/documents': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/documents`, multipart: true }),
  },
  'delete /api/meetings/{id}/documents/{documentId}': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/documents/${await freshDoc()}` }),
  },
  'get /api/documents/{id}': { allow: MEMBERS, make: async () => ({ url: `/api/documents/${docId}` }) },
  'patch /api/documents/{id}': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/documents/${await freshDoc()}`, body: { title: 'Tờ trình đã đổi tên' } }),
  },
  'put /api/documents/{id}/confidentiality': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/documents/${await freshDoc()}/confidentiality`, body: { level: 'mat' } }),
  },
  'put /api/documents/{id}/offline': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/documents/${await freshDoc()}/offline`, body: { allowed: true } }),
  },
  // the page text read at upload, for find in the viewer
  'get /api/documents/{id}/text': { allow: MEMBERS, make: async () => ({ url: `/api/documents/${docId}/text` }) },
  'get /api/documents/{id}/file': { allow: MEMBERS, make: async () => ({ url: `/api/documents/${docId}/file` }) },
  'get /api/documents/{id}/annotations': {
    allow: MEMBERS,
    make: async () => ({ url: `/api/documents/${docId}/annotations?meetingId=${mid}` }),
  },
  'get /api/documents/{id}/annotated.pdf': {
    allow: MEMBERS,
    make: async () => ({ url: `/api/documents/${docId}/annotated.pdf` }),
  },
  // documents circulated in advance (issue 15): a fresh upload is a draft, not found for members
  'post /api/documents/{id}/publish': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/documents/${await freshDoc()}/publish` }),
  },
  'post /api/documents/{id}/versions': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/documents/${await freshDoc()}/versions`, multipart: true }),
  },
  'get /api/documents/{id}/changes': {
    allow: MEMBERS,
    make: async () => ({ url: `/api/documents/${await freshVersion()}/changes` }),
  },
  'get /api/documents/{id}/reads': { allow: OFFICERS, make: async () => ({ url: `/api/documents/${docId}/reads` }) },
  'post /api/documents/{id}/remind': { allow: OFFICERS, make: async () => ({ url: `/api/documents/${docId}/remind` }) },
  'get /api/meetings/{id}/events': { allow: OFFICERS, make: async () => ({ url: `/api/meetings/${mid}/events` }) },
  'post /api/meetings/{id}/room-token': { allow: OFFICERS, make: async () => ({ url: `/api/meetings/${mid}/room-token` }) },
  'get /api/meetings/{id}/checkin-token': { allow: OFFICERS, make: async () => ({ url: `/api/meetings/${mid}/checkin-token` }) },
  'get /api/meetings/{id}/minutes': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/minutes` }) },
  'get /api/meetings/{id}/minutes/preview.pdf': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/minutes/preview.pdf` }),
  },
  'post /api/meetings/{id}/minutes/finalize': {
    allow: ['secretary'],
    make: async () => ({ url: `/api/meetings/${mid}/minutes/finalize` }),
  },
  'post /api/meetings/{id}/minutes/sign': {
    allow: ['secretary', 'chair'],
    make: async () => ({ url: `/api/meetings/${mid}/minutes/sign` }),
  },
  // deferred signing: signers only (the draft minutes answer MINUTES_NOT_FINAL, a 409, to them)
  'post /api/meetings/{id}/minutes/sign/external': {
    allow: ['secretary', 'chair'],
    make: async () => ({ url: `/api/meetings/${mid}/minutes/sign/external`, body: {} }),
  },
  'post /api/meetings/{id}/minutes/sign/external/{requestId}': {
    allow: ['secretary', 'chair'],
    make: async () => ({ url: `/api/meetings/${mid}/minutes/sign/external/no-such-request`, body: { cms: 'MAA=' } }),
  },
  'post /api/meetings/{id}/minutes/revise': {
    allow: ['secretary'],
    make: async () => ({ url: `/api/meetings/${mid}/minutes/revise` }),
  },
  'get /api/meetings/{id}/minutes.pdf': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/minutes.pdf` }) },
  'get /api/meetings/{id}/minutes/verify': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/minutes/verify` }) },
  'post /api/minutes/verify': { allow: LOGGED_IN, make: async () => ({ url: '/api/minutes/verify', body: 'not a pdf' }) },
  'put /api/me/signature-image': { allow: LOGGED_IN, make: async () => ({ url: '/api/me/signature-image', body: 'not a png' }) },
  'get /api/me/signature-image': { allow: LOGGED_IN, missingOk: true, make: async () => ({ url: '/api/me/signature-image' }) },
  'delete /api/me/signature-image': { allow: LOGGED_IN, make: async () => ({ url: '/api/me/signature-image' }) },
  'get /api/me/device-key': { allow: LOGGED_IN, make: async () => ({ url: '/api/me/device-key' }) },
  'get /api/me/settings': { allow: LOGGED_IN, make: async () => ({ url: '/api/me/settings' }) },
  'put /api/me/settings': {
    allow: LOGGED_IN,
    make: async () => ({ url: '/api/me/settings', body: { largeText: true, highContrast: false } }),
  },
  'get /api/me/notifications': { allow: LOGGED_IN, make: at('/api/me/notifications') },
  'get /api/me/notifications/unread-count': { allow: LOGGED_IN, make: at('/api/me/notifications/unread-count') },
  // one's own only: an id that is not the caller's answers 404 like a missing one
  'post /api/me/notifications/{id}/read': { allow: LOGGED_IN, missingOk: true, make: at('/api/me/notifications/not-mine/read') },
  'post /api/me/notifications/read-all': { allow: LOGGED_IN, make: at('/api/me/notifications/read-all') },
  'post /api/meetings/{id}/invitations': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/invitations`, body: { number: '15/GM-UBND' } }),
  },
  'get /api/meetings/{id}/invitations': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/invitations` }) },
  'get /api/meetings/{id}/invitations/{version}/pdf': {
    allow: MEMBERS,
    missingOk: true,
    make: async () => ({ url: `/api/meetings/${mid}/invitations/1/pdf` }),
  },
  'get /api/meetings/{id}/calendar.ics': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/calendar.ics` }) },
  'get /api/me/calendar-feed': { allow: LOGGED_IN, make: at('/api/me/calendar-feed') },
  'post /api/me/calendar-feed': { allow: LOGGED_IN, make: at('/api/me/calendar-feed') },
  'delete /api/me/calendar-feed': { allow: LOGGED_IN, make: at('/api/me/calendar-feed') },
  // one's own week: everyone signed in (the unit's view has its refusals in week-schedule.test.ts)
  'get /api/me/week': { allow: LOGGED_IN, make: at('/api/me/week') },
  // the feed's token is its only credential (no session needed); an unknown token is 404
  'get /api/calendar/{file}': {
    allow: EVERYONE,
    public: true,
    make: async () => ({ url: new URL((await s.admin.post('/api/me/calendar-feed')).json().url).pathname }),
  },
  // an election's vote-counting minutes: no election in this meeting, so allowed callers meet a 404
  // for the vote (the flows and the committee's refusals: counting-report.test.ts)
  'post /api/meetings/{id}/votes/{voteId}/counting-report': {
    allow: ['chair', 'secretary'],
    missingOk: true,
    make: async () => ({
      url: `/api/meetings/${mid}/votes/no-such-vote/counting-report`,
      body: { committee: [s.participant.userId] },
    }),
  },
  'get /api/meetings/{id}/votes/{voteId}/counting-report': {
    allow: MEMBERS,
    missingOk: true,
    make: async () => ({ url: `/api/meetings/${mid}/votes/no-such-vote/counting-report` }),
  },
  'post /api/meetings/{id}/votes/{voteId}/counting-report/sign': {
    allow: MEMBERS,
    missingOk: true,
    make: async () => ({ url: `/api/meetings/${mid}/votes/no-such-vote/counting-report/sign` }),
  },
  'get /api/meetings/{id}/votes/{voteId}/counting-report.pdf': {
    allow: MEMBERS,
    missingOk: true,
    make: async () => ({ url: `/api/meetings/${mid}/votes/no-such-vote/counting-report.pdf` }),
  },
  // written opinions: the office creates; a request is seen by the office and the members asked (here: the participant)
  'post /api/meetings/{id}/opinions': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/meetings/${mid}/opinions`, body: opinionBody() }),
  },
  'get /api/meetings/{id}/opinions': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/opinions` }) },
  'get /api/opinions/{id}': {
    allow: [...OFFICERS, 'participant'],
    make: async () => ({ url: `/api/opinions/${await freshOpinion()}` }),
  },
  'put /api/opinions/{id}/answers': {
    allow: ['participant'],
    make: async () => ({
      url: `/api/opinions/${await freshOpinion()}/answers`,
      body: { answers: [{ questionId: 'q1', choice: 'agree' }] },
    }),
  },
  // nothing saved yet: the one asked gets 409 (allowed, nothing to sign), everyone else a denial
  'post /api/opinions/{id}/sign': {
    allow: ['participant'],
    make: async () => ({ url: `/api/opinions/${await freshOpinion()}/sign` }),
  },
  'get /api/opinions/{id}/report.pdf': {
    allow: [...OFFICERS, 'participant'],
    make: async () => ({ url: `/api/opinions/${await freshOpinion()}/report.pdf` }),
  },
  // search: anyone logged in; what it returns is limited to the caller's meetings (tests/integration/search.test.ts)
  'get /api/search': { allow: LOGGED_IN, make: async () => ({ url: '/api/search?q=ke+hoach' }) },
  // tasks (services/tasks.ts): members read; officers make, change, remove; the owner (the participant) reports
  'get /api/meetings/{id}/tasks': { allow: MEMBERS, make: async () => ({ url: `/api/meetings/${mid}/tasks` }) },
  // officers get past the rights to the conclusion check: the demo minutes have none (404), which the
  // officer is allowed to hear; everyone else is refused before it
  'post /api/meetings/{id}/tasks': {
    allow: OFFICERS,
    missingOk: true,
    make: async () => ({
      url: `/api/meetings/${mid}/tasks`,
      body: { conclusionKey: 'conclusions', title: 'Nhiệm vụ', ownerUnit: 'Văn phòng', deadline: '2030-01-01' },
    }),
  },
  'get /api/tasks/mine': { allow: LOGGED_IN, make: async () => ({ url: '/api/tasks/mine' }) },
  // chairs and secretaries of any meeting: the organiser is one of the meetings it made in the rows above
  'get /api/tasks/overdue': { allow: CREATORS, make: async () => ({ url: '/api/tasks/overdue' }) },
  'get /api/tasks/dashboard': { allow: CREATORS, make: async () => ({ url: '/api/tasks/dashboard' }) },
  'get /api/tasks/{taskId}': { allow: MEMBERS, make: async () => ({ url: `/api/tasks/${(await newTask()).taskId}` }) },
  'patch /api/tasks/{taskId}': {
    allow: OFFICERS,
    make: async () => ({ url: `/api/tasks/${(await newTask()).taskId}`, body: { title: 'Đổi tên' } }),
  },
  'delete /api/tasks/{taskId}': { allow: OFFICERS, make: async () => ({ url: `/api/tasks/${(await newTask()).taskId}` }) },
  'post /api/tasks/{taskId}/reports': {
    allow: ['participant'],
    make: async () => ({
      url: `/api/tasks/${(await newTask()).taskId}/reports`,
      body: { text: 'Đang làm', status: 'in_progress' },
    }),
  },
  'post /api/tasks/{taskId}/reports/{reportId}/evidence': {
    allow: ['participant'],
    make: async () => {
      const x = await newTask();
      return { url: `/api/tasks/${x.taskId}/reports/${x.reportId}/evidence`, multipart: true };
    },
  },
  'get /api/tasks/{taskId}/evidence/{evidenceId}': {
    allow: MEMBERS,
    make: async () => {
      const x = await newTask();
      return { url: `/api/tasks/${x.taskId}/evidence/${x.evidenceId}` };
    },
  },
};

/** Denied: anonymous → 401, a member without the right → 403, not a member → 404 (or 401/403). */
const isDenial = (status: number) => status === 401 || status === 403 || status === 404;

describe('authorisation matrix: HTTP', () => {
  let cells = 0;
  afterAll(() => {
    console.log(`authz matrix: ${cells} HTTP cells checked`);
  });

  it('has a row for every route in the OpenAPI document', async () => {
    const doc = (await s.admin.get('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(routes.filter((r) => !ROUTES[r])).toEqual([]);
  });

  for (const [route, spec] of Object.entries(ROUTES)) {
    const [method] = route.split(' ') as [string, string];
    it(`${route}`, async () => {
      for (const who of spec.public ? ['anonymous' as const] : EVERYONE) {
        const req = await spec.make();
        const allowed = spec.allow.includes(who);
        const before = allowed ? '' : await snapshot();
        const mp = req.multipart ? multipartFile(fixture('sizes.pdf'), 'sizes.pdf') : undefined;
        const res = await s[who].request({
          method: method.toUpperCase() as 'GET',
          url: req.url,
          ...(mp
            ? { payload: mp.payload, headers: mp.headers }
            : req.body === undefined
              ? {}
              : typeof req.body === 'string'
                ? { payload: req.body, headers: { 'content-type': 'application/octet-stream' } }
                : { payload: req.body as object }),
        });
        cells++;
        expect(res.statusCode, `${route} as ${who}`).toBeLessThan(500);
        if (allowed) {
          expect(
            isDenial(res.statusCode) && !(spec.missingOk && res.statusCode === 404),
            `${route} as ${who} should be allowed, got ${res.statusCode} ${res.body.slice(0, 200)}`,
          ).toBe(false);
        } else {
          expect(
            isDenial(res.statusCode),
            `${route} as ${who} should be denied, got ${res.statusCode} ${res.body.slice(0, 200)}`,
          ).toBe(true);
          expect(await snapshot(), `${route} as ${who} changed nothing`).toBe(before);
        }
      }
    });
  }
});

// ---- one document, as a member who is not an officer: a draft and a confidential document
// Every route that names a document goes through services/document-access.documentForSync (rules:
// policies/document-policy.ts). A draft is NOT_FOUND for members, like a document that does not exist;
// a confidential one is read in the viewer (watermarked) but its text and downloads are refused.
type DocPurpose = 'read' | 'text' | 'export' | 'manage' | 'officers' | 'room';
interface DocRoute {
  purpose: DocPurpose;
  url: (docId: string) => string;
  body?: unknown;
  multipart?: boolean;
}
const DOC_ROUTES: Record<string, DocRoute> = {
  'get /api/documents/{id}': { purpose: 'read', url: (d) => `/api/documents/${d}` },
  'patch /api/documents/{id}': { purpose: 'manage', url: (d) => `/api/documents/${d}`, body: { title: 'Đổi tên' } },
  'put /api/documents/{id}/confidentiality': {
    purpose: 'manage',
    url: (d) => `/api/documents/${d}/confidentiality`,
    body: { level: 'toi-mat' },
  },
  'put /api/documents/{id}/offline': { purpose: 'manage', url: (d) => `/api/documents/${d}/offline`, body: { allowed: true } },
  'get /api/documents/{id}/text': { purpose: 'text', url: (d) => `/api/documents/${d}/text` },
  'get /api/documents/{id}/file': { purpose: 'read', url: (d) => `/api/documents/${d}/file` },
  'get /api/documents/{id}/annotations': { purpose: 'read', url: (d) => `/api/documents/${d}/annotations` },
  'get /api/documents/{id}/annotated.pdf': { purpose: 'export', url: (d) => `/api/documents/${d}/annotated.pdf` },
  'post /api/documents/{id}/publish': { purpose: 'manage', url: (d) => `/api/documents/${d}/publish` },
  'post /api/documents/{id}/versions': { purpose: 'manage', url: (d) => `/api/documents/${d}/versions`, multipart: true },
  'get /api/documents/{id}/changes': { purpose: 'text', url: (d) => `/api/documents/${d}/changes` },
  'get /api/documents/{id}/reads': { purpose: 'manage', url: (d) => `/api/documents/${d}/reads` },
  'post /api/documents/{id}/remind': { purpose: 'manage', url: (d) => `/api/documents/${d}/remind` },
  // meeting-scoped and officers only: refused before the document is looked at
  'delete /api/meetings/{id}/documents/{documentId}': { purpose: 'officers', url: (d) => `/api/meetings/${mid}/documents/${d}` },
  'delete /api/meetings/{id}/agenda/{itemId}/documents/{documentId}': {
    purpose: 'officers',
    url: (d) => `/api/meetings/${mid}/agenda/${itemId}/documents/${d}`,
  },
  // the room screen shows what the members see: no drafts; a confidential one only while the chair shows it
  'get /api/room/documents/{id}/file': { purpose: 'room', url: (d) => `/api/room/documents/${d}/file` },
  'get /api/room/documents/{id}/annotations': { purpose: 'room', url: (d) => `/api/room/documents/${d}/annotations` },
};
const READERS: Who[] = ['participant', 'guest', 'observer'];

describe('authorisation matrix: one document, by a member, as a draft and as a confidential document', () => {
  let room: Session;
  /** a draft second version of a published document (so /changes has a previous one) */
  let draftId = '';
  /** a published, confidential second version of a published document */
  let secretId = '';
  beforeAll(async () => {
    const { token } = (await s.chair.post(`/api/meetings/${mid}/room-token`)).json();
    room = {
      ...client(t.app, asCookie(await t.app.inject({ method: 'POST', url: '/api/room/session', payload: { token } }))),
      userId: '',
    } as Session;
    const first = await freshDoc();
    expect((await s.admin.post(`/api/documents/${first}/publish`)).statusCode).toBe(200);
    const mp = multipartFile(fixture('sizes.pdf'), 'sizes-nhap.pdf');
    draftId = (
      await s.admin.request({ method: 'POST', url: `/api/documents/${first}/versions`, payload: mp.payload, headers: mp.headers })
    ).json().id;
    secretId = await freshVersion();
    expect((await s.admin.put(`/api/documents/${secretId}/confidentiality`, { level: 'mat' })).statusCode).toBe(200);
  });

  it('has a row for every route that names a document', async () => {
    const doc = (await s.admin.get('/api/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths)
      .filter(([p]) => /\/documents\/\{/.test(p))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(routes.filter((r) => !DOC_ROUTES[r])).toEqual([]);
  });

  const call = (who: Session, route: string, docId: string) => {
    const spec = DOC_ROUTES[route]!;
    const method = route.split(' ')[0]!.toUpperCase() as 'GET';
    const mp = spec.multipart ? multipartFile(fixture('sizes.pdf'), 'sizes.pdf') : undefined;
    return who.request({
      method,
      url: spec.url(docId),
      ...(mp ? { payload: mp.payload, headers: mp.headers } : spec.body === undefined ? {} : { payload: spec.body as object }),
    });
  };

  for (const route of Object.keys(DOC_ROUTES)) {
    it(`${route}: a draft is not there for a member (nor the room screen)`, async () => {
      const spec = DOC_ROUTES[route]!;
      for (const who of spec.purpose === 'room' ? [room] : READERS.map((w) => s[w])) {
        const before = await snapshot();
        const res = await call(who, route, draftId);
        // the officers-only meeting routes refuse before looking (the same for any id): FORBIDDEN
        expect(res.statusCode, `${route} on a draft: ${res.body.slice(0, 200)}`).toBe(spec.purpose === 'officers' ? 403 : 404);
        expect(res.body).not.toContain('sizes-nhap');
        expect(await snapshot(), `${route} on a draft changed nothing`).toBe(before);
      }
    });

    it(`${route}: a confidential document is read in the viewer only`, async () => {
      const spec = DOC_ROUTES[route]!;
      for (const who of spec.purpose === 'room' ? [room] : READERS.map((w) => s[w])) {
        const before = await snapshot();
        const res = await call(who, route, secretId);
        const code = res.statusCode >= 400 ? (res.json() as { error: { code: string } }).error.code : 'ok';
        const expected = {
          read: 'ok',
          text: 'CONFIDENTIAL_DOCUMENT',
          export: 'CONFIDENTIAL_DOCUMENT',
          manage: 'FORBIDDEN',
          officers: 'FORBIDDEN',
          // the chair is not showing it: the room gets its shared marks, not its file
          room: route.endsWith('/file') ? 'CONFIDENTIAL_DOCUMENT' : 'ok',
        }[spec.purpose];
        expect(code, `${route} on a confidential document: ${res.body.slice(0, 200)}`).toBe(expected);
        if (code !== 'ok') expect(await snapshot(), `${route} on a confidential document changed nothing`).toBe(before);
        if (route === 'get /api/documents/{id}/file') {
          // the watermarked copy, never the original: ?original=1 is refused
          expect(res.headers.etag).not.toBe(`"${(await s.admin.get(`/api/documents/${secretId}`)).json().sha256}"`);
          const original = await who.request({ method: 'GET', url: `${spec.url(secretId)}?original=1` });
          expect(original.statusCode).toBe(403);
          expect(original.json().error.code).toBe('CONFIDENTIAL_DOCUMENT');
        }
      }
    });
  }

  it('the officers still reach both (the refusals above are about who asks)', async () => {
    for (const who of OFFICERS) {
      expect((await s[who].get(`/api/documents/${draftId}`)).statusCode, who).toBe(200);
      expect((await s[who].get(`/api/documents/${secretId}/changes`)).statusCode, who).toBe(200);
      expect((await s[who].get(`/api/documents/${secretId}/file?original=1`)).statusCode, who).toBe(200);
    }
  });
});

// ---- the abilities sent with the meeting say exactly what the matrix allows, so the client, which
// shows controls by them and never re-derives them from the role, cannot offer what is refused
describe('authorisation matrix: abilities agree with the matrix', () => {
  const ABILITY_OF: Record<string, { route?: string; command?: CommandType; who?: Who[] }> = {
    update: { route: 'patch /api/meetings/{id}' },
    manageMembers: { route: 'post /api/meetings/{id}/members' },
    editAgenda: { route: 'post /api/meetings/{id}/agenda' },
    uploadDocument: { route: 'post /api/meetings/{id}/documents' },
    createAccounts: { route: 'post /api/users' },
    controlMeeting: { command: 'meeting.start' },
    markAttendance: { command: 'attendance.mark' },
    checkIn: { command: 'attendance.checkIn' },
    issueRoomToken: { route: 'post /api/meetings/{id}/room-token' },
    recordBallots: { command: 'ballot.record' },
    approveSubstitute: { command: 'invitation.approveSubstitute' },
    askOpinions: { route: 'post /api/meetings/{id}/opinions' },
    draftCountingReport: { route: 'post /api/meetings/{id}/votes/{voteId}/counting-report' },
    annotate: { command: 'stroke.add' },
    // the layer is in the payload (the row above draws on the private one): tests/integration/live-annotations
    annotateShared: { who: ['chair', 'secretary', 'participant'] },
    eraseOthersMarks: { who: ['chair'] },
    requestFloor: { command: 'floor.request' },
    castBallot: { command: 'ballot.cast' },
  };
  it('for every member of the meeting', async () => {
    for (const who of MEMBERS) {
      const abilities = (await s[who].get(`/api/meetings/${mid}`)).json().abilities as Record<string, boolean>;
      expect(Object.keys(abilities).sort(), 'every ability has a row').toEqual(Object.keys(ABILITY_OF).sort());
      for (const [name, { route, command: cmd, who: listed }] of Object.entries(ABILITY_OF)) {
        const allowed = route
          ? ROUTES[route]!.allow.includes(who)
          : cmd
            ? COMMAND_ALLOW[cmd].includes(who)
            : listed!.includes(who);
        expect(abilities[name], `${who}: ${name}`).toBe(allowed);
      }
    }
  });
});

// ---- sockets
const sockets = {} as Record<Exclude<Who, 'anonymous'>, LiveSocket>;
const headSeq = () =>
  t.app.database.read(
    async (q, tt) =>
      (
        await q
          .select({ n: max(tt.meetingEvents.seq) })
          .from(tt.meetingEvents)
          .where(eq(tt.meetingEvents.meetingId, mid))
      )[0]?.n ?? 0,
  );

/** A valid payload for each command, so a refusal can only come from who sends it (or the state). */
const PAYLOADS: Record<CommandType, () => Record<string, unknown>> = {
  'meeting.start': () => ({}),
  'meeting.pause': () => ({}),
  'meeting.resume': () => ({}),
  'meeting.end': () => ({}),
  'agenda.open': () => ({ itemId }),
  'document.show': () => ({ documentId: docId }),
  'page.set': () => ({ documentId: docId, page: 2 }),
  'presenter.set': () => ({ userId: null }),
  'attendance.mark': () => ({ userId: s.participant.userId, status: 'present' }),
  'attendance.checkIn': () => ({}),
  'stroke.add': () => ({
    documentId: docId,
    page: 1,
    layer: 'private',
    tool: 'pen',
    color: '#1d4ed8',
    width: 2,
    points: [
      [100, 100, 0.5],
      [120, 110, 0.5],
    ],
  }),
  'stroke.erase': () => ({ strokeId: 'nonexistent-stroke' }),
  'stroke.undo': () => ({ documentId: docId }),
  'stroke.redo': () => ({ documentId: docId }),
  'floor.request': () => ({ kind: 'speak' }),
  'floor.withdraw': () => ({ requestId: 'nonexistent' }),
  'floor.grant': () => ({ requestId: 'nonexistent' }),
  'floor.end': () => ({}),
  'floor.reorder': () => ({ requestIds: [] }),
  'vote.create': () => ({ question: 'Thông qua?', secret: false, rule: { kind: 'majority_of_members' } }),
  'vote.open': () => ({ voteId: 'nonexistent' }),
  'vote.close': () => ({ voteId: 'nonexistent' }),
  'vote.discard': () => ({ voteId: 'nonexistent' }),
  'ballot.cast': () => ({ voteId: 'nonexistent', choice: 'for' }),
  'ballot.record': () => ({ voteId: 'nonexistent', memberId: s.chair.userId, choice: 'for' }),
  'vote.paperTally': () => ({ voteId: 'nonexistent', memberIds: [s.chair.userId], counts: [{ choiceId: 'for', count: 1 }] }),
  'proxy.grant': () => ({ toUserId: s.chair.userId }),
  'proxy.revoke': () => ({}),
  'minutes.update': () => ({ field: 'place', text: 'Hà Nội', baseVersion: 0 }),
  'invitation.reply': () => ({ status: 'absent', reason: 'Đi công tác' }),
  'invitation.approveSubstitute': () => ({ memberId: s.participant.userId }),
  'invitation.refuseSubstitute': () => ({ memberId: s.participant.userId }),
};

/** Who may issue each command (the state may still refuse it with CONFLICT or NOT_FOUND of a target). */
const COMMAND_ALLOW: Record<CommandType, Who[]> = {
  'meeting.start': ['chair'],
  'meeting.pause': ['chair'],
  'meeting.resume': ['chair'],
  'meeting.end': ['chair'],
  'agenda.open': ['chair'],
  'document.show': ['chair'],
  'page.set': ['chair'],
  'presenter.set': ['chair'],
  'attendance.mark': ['chair', 'secretary'],
  'attendance.checkIn': ['chair', 'secretary', 'participant', 'guest'],
  'stroke.add': ['chair', 'secretary', 'participant', 'guest'],
  'stroke.erase': ['chair', 'secretary', 'participant', 'guest'],
  'stroke.undo': ['chair', 'secretary', 'participant', 'guest'],
  'stroke.redo': ['chair', 'secretary', 'participant', 'guest'],
  'floor.request': ['chair', 'secretary', 'participant', 'guest'],
  'floor.withdraw': ['chair', 'secretary', 'participant', 'guest'],
  // ending a turn: the chair, or the speaker themself (the state decides; tests/integration/live-floor)
  'floor.grant': ['chair'],
  'floor.end': ['chair', 'secretary', 'participant', 'guest'],
  'floor.reorder': ['chair'],
  'vote.create': ['chair'],
  'vote.open': ['chair'],
  'vote.close': ['chair'],
  'vote.discard': ['chair'],
  'ballot.cast': ['chair', 'participant'],
  // an officer records the vote of a member present without a device (named) or the paper total (secret)
  'ballot.record': ['chair', 'secretary'],
  'vote.paperTally': ['chair', 'secretary'],
  // voters give their own proxy; the chair and secretary record one for an absent member
  'proxy.grant': ['chair', 'secretary', 'participant'],
  'proxy.revoke': ['chair', 'secretary', 'participant'],
  'minutes.update': ['secretary'],
  // every invitee replies for themself (the state refuses it once the meeting runs); officers approve substitutes
  'invitation.reply': ['chair', 'secretary', 'participant', 'guest', 'observer'],
  'invitation.approveSubstitute': ['chair', 'secretary'],
  'invitation.refuseSubstitute': ['chair', 'secretary'],
};

describe('authorisation matrix: socket commands', () => {
  let cells = 0;
  beforeAll(async () => {
    for (const who of ['admin', 'chair', 'secretary', 'participant', 'guest', 'observer', 'outsider'] as const) {
      const username = who === 'admin' ? 'admin' : usernames[who];
      sockets[who] = await connect(t.url, { cookie: await httpLogin(t.url, username) });
      await join(sockets[who], mid);
    }
    // a running meeting, so commands meet a realistic state
    expect((await command(sockets.chair, mid, 'meeting.start', {})).ok).toBe(true);
  });
  afterAll(() => {
    for (const sock of Object.values(sockets)) sock.close();
    console.log(`authz matrix: ${cells} socket cells checked`);
  });

  it('has a row for every command type', () => {
    expect(COMMAND_TYPES.filter((c) => !COMMAND_ALLOW[c] || !PAYLOADS[c])).toEqual([]);
  });

  it('an anonymous socket cannot connect, a room screen cannot command', async () => {
    await expect(connect(t.url)).rejects.toThrow();
    const { token } = (await s.chair.post(`/api/meetings/${mid}/room-token`)).json();
    const room = await connect(t.url, { auth: { roomToken: token } });
    await join(room, mid);
    const before = await headSeq();
    for (const type of COMMAND_TYPES) {
      const ack = await command(room, mid, type, PAYLOADS[type]());
      expect(ack.ok ? 'ok' : ack.error.code, `room screen ${type}`).toBe('FORBIDDEN');
      cells++;
    }
    expect(await headSeq()).toBe(before);
    room.close();
  });

  it('a presenter who is not an officer cannot show, turn or mark a draft (policies/document-policy.ts)', async () => {
    const draft = await freshDoc();
    expect((await command(sockets.chair, mid, 'presenter.set', { userId: s.participant.userId })).ok).toBe(true);
    try {
      const before = await headSeq();
      for (const [type, payload] of [
        ['document.show', { documentId: draft }],
        ['page.set', { documentId: draft, page: 1 }],
        ['stroke.add', { ...PAYLOADS['stroke.add'](), documentId: draft }],
      ] as const) {
        const ack = await command(sockets.participant, mid, type, payload);
        expect(ack.ok ? 'ok' : ack.error.code, `${type} of a draft by the presenter`).toBe('NOT_FOUND');
        cells++;
      }
      expect(await headSeq()).toBe(before);
      // the same presenter shows a published one
      expect((await command(sockets.participant, mid, 'document.show', { documentId: docId })).ok).toBe(true);
    } finally {
      expect((await command(sockets.chair, mid, 'presenter.set', { userId: null })).ok).toBe(true);
    }
  });

  for (const type of COMMAND_TYPES) {
    it(type, async () => {
      // deny first (nothing may change), then the allowed callers
      const order = [...(['admin', 'chair', 'secretary', 'participant', 'guest', 'observer', 'outsider'] as const)].sort(
        (a, b) => Number(COMMAND_ALLOW[type].includes(a)) - Number(COMMAND_ALLOW[type].includes(b)),
      );
      for (const who of order) {
        const allowed = COMMAND_ALLOW[type].includes(who);
        const before = await headSeq();
        const ack = await command(sockets[who], mid, type, PAYLOADS[type]());
        cells++;
        const code = ack.ok ? 'ok' : ack.error.code;
        if (allowed) {
          expect(['FORBIDDEN', 'INVALID', 'RATE_LIMITED'], `${type} as ${who}: ${code}`).not.toContain(code);
          expect(code === 'NOT_FOUND' && who === 'outsider', `${type}: NOT_FOUND for a member means a missing target`).toBe(
            false,
          );
        } else {
          // an outsider learns nothing, not even that the meeting exists
          expect(
            who === 'outsider' ? ['NOT_FOUND'] : ['FORBIDDEN', 'NOT_FOUND'],
            `${type} as ${who} should be refused, got ${code}`,
          ).toContain(code);
          expect(await headSeq(), `${type} as ${who} changed nothing`).toBe(before);
        }
      }
    });
  }
});
