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
import type { Db } from '../db/client';
import { agendaItems, calendarFeeds, invitations, meetingMembers, meetings } from '../db/schema';
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
    private readonly db: Db,
    private readonly opts: { publicUrl: string; domain: string },
  ) {}

  private link(meetingId: string) {
    return `${this.opts.publicUrl.replace(/\/+$/, '')}/meetings/${meetingId}`;
  }

  private addEvents(lib: IcalLib, cal: IcalGenerator.ICalCalendar, rows: MeetingRow[]): void {
    if (rows.length === 0) return;
    const ids = rows.map((m) => m.id);
    const latest = new Map<string, typeof invitations.$inferSelect>();
    for (const inv of this.db
      .select()
      .from(invitations)
      .where(inArray(invitations.meetingId, ids))
      .orderBy(asc(invitations.version))
      .all())
      latest.set(inv.meetingId, inv);
    const minutes = new Map<string, number>();
    for (const a of this.db
      .select({ meetingId: agendaItems.meetingId, d: agendaItems.durationMinutes })
      .from(agendaItems)
      .where(inArray(agendaItems.meetingId, ids))
      .all()) {
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
    const m = this.db.select().from(meetings).where(eq(meetings.id, meetingId)).all();
    this.addEvents(lib, cal, m);
    return cal.toString();
  }

  /** The feed for a token, or null when the token is unknown or revoked (answered like any missing page). */
  async feedIcs(token: string): Promise<string | null> {
    const lib = await loadIcal();
    const feed = this.db
      .select({ userId: calendarFeeds.userId })
      .from(calendarFeeds)
      .where(eq(calendarFeeds.tokenHash, hash(token)))
      .get();
    if (!feed) return null;
    const rows = this.db
      .select({ m: meetings })
      .from(meetings)
      .innerJoin(meetingMembers, and(eq(meetingMembers.meetingId, meetings.id), eq(meetingMembers.userId, feed.userId)))
      .orderBy(asc(meetings.startsAt))
      .all()
      .map((r) => r.m);
    const cal = lib.default({
      name: 'Lịch họp — Họp Số',
      prodId: { company: 'Họp Số', product: 'hop-so', language: 'VI' },
      ttl: 15 * 60,
    });
    this.addEvents(lib, cal, rows);
    return cal.toString();
  }

  feedInfo(userId: string): CalendarFeedInfo {
    const row = this.db
      .select({ createdAt: calendarFeeds.createdAt })
      .from(calendarFeeds)
      .where(eq(calendarFeeds.userId, userId))
      .get();
    return { active: !!row, createdAt: row?.createdAt ?? null };
  }

  /** A new secret URL (any previous one stops working). */
  rotate(userId: string): CalendarFeedInfo {
    const token = randomBytes(32).toString('base64url');
    const createdAt = nowIso();
    this.db.transaction((tx) => {
      tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId)).run();
      tx.insert(calendarFeeds)
        .values({ tokenHash: hash(token), userId, createdAt })
        .run();
    });
    return { active: true, createdAt, url: `${this.opts.publicUrl.replace(/\/+$/, '')}/api/calendar/${token}.ics` };
  }

  revoke(userId: string): void {
    this.db.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId)).run();
  }
}
