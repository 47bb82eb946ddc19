// Minutes header (issue 21): the place name (địa danh) comes from configuration, never a built-in
// city; header fields have the printed header's length limits, refused with INVALID and nothing stored.
import { eq, max } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { session } from '../helpers/http';
import { command, connect, httpLogin, join, type LiveSocket } from '../helpers/live-client';
import { MINUTES_HEADER_MAX } from '../../shared/minutes-draft';

const placeOf = async (t: TestApp) => {
  const sec = await session(t.app, 'secretary');
  const mid = (await sec.get('/api/meetings')).json()[0].id;
  return (await sec.get(`/api/meetings/${mid}/minutes`)).json().document.place as string;
};

describe('the place name (địa danh)', () => {
  it('is the configured MINUTES_PLACE_NAME', async () => {
    const t = await buildTestApp({ config: { minutesPlaceName: 'Đà Nẵng' } });
    try {
      expect(await placeOf(t)).toBe('Đà Nẵng');
    } finally {
      await t.close();
    }
  });

  it('is dots to fill in when nothing is configured, not a city chosen for the user', async () => {
    const t = await buildTestApp();
    try {
      expect(t.config.minutesPlaceName).toBe('');
      expect(await placeOf(t)).toBe('……');
    } finally {
      await t.close();
    }
  });
});

describe('header field limits', () => {
  let t: TestApp;
  let sec: LiveSocket;
  let mid = '';
  /** the meeting's head seq as stored, through the Store (runs on either database) */
  const head = async () => {
    const [row] = await t.app.database.read((q, tt) =>
      q
        .select({ n: max(tt.meetingEvents.seq) })
        .from(tt.meetingEvents)
        .where(eq(tt.meetingEvents.meetingId, mid)),
    );
    return row?.n ?? 0;
  };
  beforeAll(async () => {
    t = await buildTestApp({ listen: true });
    const cookie = await httpLogin(t.url, 'secretary');
    mid = (await (await fetch(`${t.url}/api/meetings`, { headers: { cookie } })).json())[0].id;
    sec = await connect(t.url, { cookie });
    await join(sec, mid);
  });
  afterAll(async () => {
    sec.close();
    await t.close();
  });

  for (const field of ['place', 'number', 'parentAgency', 'unitName', 'subject'] as const) {
    it(`${field}: ${MINUTES_HEADER_MAX[field]} characters pass, one more is refused and changes nothing`, async () => {
      const max = MINUTES_HEADER_MAX[field];
      const before = await head();
      const tooLong = await command(sec, mid, 'minutes.update', { field, text: 'Đ'.repeat(max + 1), baseVersion: 0 });
      expect(tooLong.ok ? 'ok' : tooLong.error.code).toBe('INVALID');
      expect(await head()).toBe(before);
      const fits = await command(sec, mid, 'minutes.update', { field, text: 'Đ'.repeat(max), baseVersion: 0 });
      expect(fits.ok).toBe(true);
    });
  }
});
