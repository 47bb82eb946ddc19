// Property-based: random and malformed bodies/params sent to every REST route are refused with a
// coded 4xx, the server stays up, and nothing stored changes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session, type Session } from '../helpers/http';
import { tableSnapshot } from '../helpers/raw-sql';

let t: TestApp;
let admin: Session;
let ids: Record<string, string>;

const TABLES = ['users', 'sessions', 'meetings', 'meeting_members', 'agenda_items', 'documents', 'agenda_item_documents'];
const snapshot = () => tableSnapshot(t.app, TABLES);

beforeAll(async () => {
  t = await buildTestApp();
  admin = await session(t.app, 'admin');
  const detail = (await admin.get(`/api/meetings/${(await admin.get('/api/meetings')).json()[0].id}`)).json();
  ids = {
    id: detail.meeting.id,
    itemId: detail.agenda[0].id,
    documentId: detail.documents[0].id,
    userId: detail.members[0].userId,
  };
});
afterAll(async () => {
  await t.close();
});

interface Route {
  method: string;
  url: string;
}

describe('REST fuzzing', () => {
  it('every write route refuses random bodies with a coded 4xx and changes nothing', async () => {
    // The OpenAPI document is the list of routes: every write route that takes a JSON body.
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    const writes: Route[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        if (!['post', 'put', 'patch'].includes(m) || !op.requestBody) continue;
        if (p === '/api/auth/logout' || p === '/api/auth/login') continue; // session changes are their purpose
        writes.push({ method: m.toUpperCase(), url: p.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? 'x') });
      }
    }
    expect(writes.length).toBeGreaterThanOrEqual(7);
    const before = await snapshot();
    let sent = 0;
    // Bodies that cannot be valid for any route: wrong shapes, wrong types, junk keys.
    const junk = fc.oneof(
      fc.anything({ maxDepth: 3 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
      fc.dictionary(
        fc.string({ maxLength: 8 }).map((k) => `zz_${k}`),
        fc.anything({ maxDepth: 2 }),
        { minKeys: 1, maxKeys: 4 },
      ),
      fc.record({ title: fc.oneof(fc.integer(), fc.constant(''), fc.array(fc.string())), role: fc.string({ maxLength: 5 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), junk, async (route, body) => {
        const res = await admin.request({
          method: route.method as 'POST',
          url: route.url,
          headers: { 'content-type': 'application/json' },
          payload: JSON.stringify(body) ?? 'null',
        });
        sent++;
        expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
        expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 300 },
    );
    expect(sent).toBe(300);
    expect(await snapshot()).toBe(before);
  });

  it('random path ids and query junk never cause a 5xx', async () => {
    const before = await snapshot();
    const paths = [
      '/api/meetings/{}',
      '/api/meetings/{}/agenda',
      '/api/documents/{}',
      '/api/documents/{}/file',
      '/api/meetings/{}/members',
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.string({ maxLength: 80 }), async (p, raw) => {
        const res = await admin.get(p.replace('{}', encodeURIComponent(raw) || 'x'));
        expect(res.statusCode).toBeGreaterThanOrEqual(400);
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
    expect(await snapshot()).toBe(before);
  });

  it('garbage content types and broken JSON are refused cleanly', async () => {
    const url = `/api/meetings/${ids.id}/agenda`;
    for (const [type, payload] of [
      ['application/json', '{"title":'],
      ['text/plain', 'hello'],
      ['application/xml', '<a/>'],
      ['application/json', 'x'.repeat(2 * 1024 * 1024)],
    ] as const) {
      const res = await admin.request({ method: 'POST', url, headers: { 'content-type': type }, payload });
      expect(res.statusCode, type).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, type).toBeLessThan(500);
      expect(res.json().error.code).toMatch(/^[A-Z_]+$/);
    }
  });
});
