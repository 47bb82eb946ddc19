// Calendars (ical-generator): one meeting as an .ics, and a person's feed of all their meetings at a
// secret URL (calendar apps subscribe without a login). The token is 256 random bits; only its
// sha256 is stored (a copied database yields no working feed URL); rotating replaces it, revoking
// deletes it. A feed holds calendar data only: title, time, place, status, a link into the app —
// never documents, replies or members. SEQUENCE counts the change notices issued (version − 1), and
// one more when the meeting's time/place/title differ from the latest notice, so calendar apps
// replace the event they hold; the UID is stable per meeting.
import { createHash, randomBytes } from 'node:crypto';
import type * as IcalGenerator from 'ical-generator';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { invitations, meetings } from '../db/schema';
import type { Query, Store, Tables } from '../db/store';
import { nowIso } from '../ids';
import type { CalendarFeedInfo } from '../../shared/invitations-api';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const DEFAULT_MINUTES = 120;

type MeetingRow = typeof meetings.$inferSelect;
type IcalLib = typeof IcalGenerator;
// loaded by the first calendar asked for, not at start
let icalLib: Promise<IcalLib> | undefined;
const loadIcal = () => (icalLib ??= import('ical-generator'));

export class Calendars {
  constructor(
    private readonly store: Store,
    private readonly opts: { publicUrl: string; domain: string },
  ) {}

  private link(meetingId: string) {
    return `${this.opts.publicUrl.replace(/\/+$/, '')}/meetings/${meetingId}`;
  }

  private async addEvents(q: Query, t: Tables, lib: IcalLib, cal: IcalGenerator.ICalCalendar, rows: MeetingRow[]): Promise<void> {
    if (rows.length === 0) return;
    const ids = rows.map((m) => m.id);
    const latest = new Map<string, typeof invitations.$inferSelect>();
    for (const inv of await q
      .select()
      .from(t.invitations)
      .where(inArray(t.invitations.meetingId, ids))
      .orderBy(asc(t.invitations.version)))
      latest.set(inv.meetingId, inv);
    const minutes = new Map<string, number>();
    for (const a of await q
      .select({ meetingId: t.agendaItems.meetingId, d: t.agendaItems.durationMinutes })
      .from(t.agendaItems)
      .where(inArray(t.agendaItems.meetingId, ids))) {
      minutes.set(a.meetingId, (minutes.get(a.meetingId) ?? 0) + (a.d ?? 0));
    }
    for (const m of rows) {
      if (!m.startsAt) continue;
      const inv = latest.get(m.id);
      const differs = inv ? inv.startsAt !== m.startsAt || inv.location !== (m.location ?? '') || inv.title !== m.title : false;
      const start = new Date(m.startsAt);
      const end = new Date(start.getTime() + (minutes.get(m.id) || DEFAULT_MINUTES) * 60_000);
      cal.createEvent({
        id: `${m.id}@${this.opts.domain}`,
        start,
        end,
        stamp: new Date(inv && !differs ? inv.issuedAt : m.updatedAt),
        sequence: (inv ? inv.version - 1 : 0) + (differs ? 1 : 0),
        summary: m.title,
        location: m.location ?? undefined,
        description: inv ? `Giấy mời số ${inv.number}\n${this.link(m.id)}` : this.link(m.id),
        url: this.link(m.id),
        status: lib.ICalEventStatus.CONFIRMED,
      });
    }
  }

  async meetingIcs(meetingId: string): Promise<string> {
    const lib = await loadIcal();
    const cal = lib.default({
      prodId: { company: 'Họp Số', product: 'hop-so', language: 'VI' },
      method: lib.ICalCalendarMethod.PUBLISH,
    });
    await this.store.read(async (q, t) => {
      const m = await q.select().from(t.meetings).where(eq(t.meetings.id, meetingId));
      await this.addEvents(q, t, lib, cal, m);
    });
    return cal.toString();
  }

  /** The feed for a token, or null when the token is unknown or revoked (answered like any missing page). */
  async feedIcs(token: string): Promise<string | null> {
    const lib = await loadIcal();
    return this.store.read(async (q, t) => {
      const [feed] = await q
        .select({ userId: t.calendarFeeds.userId })
        .from(t.calendarFeeds)
        .where(eq(t.calendarFeeds.tokenHash, hash(token)));
      if (!feed) return null;
      const rows = (
        await q
          .select({ m: t.meetings })
          .from(t.meetings)
          .innerJoin(
            t.meetingMembers,
            and(eq(t.meetingMembers.meetingId, t.meetings.id), eq(t.meetingMembers.userId, feed.userId)),
          )
          // NULL start times sort differently per dialect: they are skipped below; the id breaks ties
          .orderBy(asc(t.meetings.startsAt), asc(t.meetings.id))
      ).map((r) => r.m);
      const cal = lib.default({
        name: 'Lịch họp — Họp Số',
        prodId: { company: 'Họp Số', product: 'hop-so', language: 'VI' },
        ttl: 15 * 60,
      });
      await this.addEvents(q, t, lib, cal, rows);
      return cal.toString();
    });
  }

  async feedInfo(userId: string): Promise<CalendarFeedInfo> {
    const [row] = await this.store.read((q, t) =>
      q.select({ createdAt: t.calendarFeeds.createdAt }).from(t.calendarFeeds).where(eq(t.calendarFeeds.userId, userId)),
    );
    return { active: !!row, createdAt: row?.createdAt ?? null };
  }

  /** A new secret URL (any previous one stops working). */
  async rotate(userId: string): Promise<CalendarFeedInfo> {
    const token = randomBytes(32).toString('base64url');
    const createdAt = nowIso();
    await this.store.write(`user:${userId}`, async (tx, t) => {
      await tx.delete(t.calendarFeeds).where(eq(t.calendarFeeds.userId, userId));
      await tx.insert(t.calendarFeeds).values({ tokenHash: hash(token), userId, createdAt });
    });
    return { active: true, createdAt, url: `${this.opts.publicUrl.replace(/\/+$/, '')}/api/calendar/${token}.ics` };
  }

  async revoke(userId: string): Promise<void> {
    await this.store.write(`user:${userId}`, (tx, t) => tx.delete(t.calendarFeeds).where(eq(t.calendarFeeds.userId, userId)));
  }
}
