// The week view (lịch công tác tuần, issue 15): the meetings of one week, Monday to Sunday in Vietnam
// time (UTC+7, no daylight saving), for the caller — their own meetings, or for the office (an
// administrator, or an organiser for the meetings of their unit) the unit's. One TypeBox schema per
// message, used by the route and the client; the date arithmetic is pure so both sides agree.
import Type from 'typebox';

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const WeekQuery = Type.Object(
  {
    /** any day of the week wanted (Vietnam date); the current week when absent */
    date: Type.Optional(IsoDate),
    /** mine: meetings I am a member of; unit: the office's view of the unit's meetings */
    scope: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('unit')])),
  },
  { additionalProperties: false },
);
export type WeekQuery = Type.Static<typeof WeekQuery>;

export const WeekReplyStatus = Type.Union([
  Type.Literal('attending'),
  Type.Literal('absent'),
  Type.Literal('substitute'),
  Type.Literal('proxy'),
  Type.Null(),
]);

export const WeekMeetingSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('running'), Type.Literal('paused'), Type.Literal('ended')]),
  startsAt: Type.String(),
  /** its day in Vietnam time, YYYY-MM-DD: the column it goes in */
  date: IsoDate,
  location: Type.Union([Type.String(), Type.Null()]),
  organization: Type.Union([Type.String(), Type.Null()]),
  /** the caller's role in it; null: listed for the office but not theirs to open */
  role: Type.Union([Type.String(), Type.Null()]),
  /** whether the caller may open it (a member, or an administrator) */
  canOpen: Type.Boolean(),
  /** the caller's reply to the giấy mời (null: none yet, or not invited) */
  myReply: WeekReplyStatus,
  /** the latest giấy mời issued (null: none yet); changedSinceIssue: time/place/title moved since */
  invitation: Type.Union([
    Type.Object({
      version: Type.Integer(),
      number: Type.String(),
      issuedAt: Type.String(),
      changedSinceIssue: Type.Boolean(),
    }),
    Type.Null(),
  ]),
});
export type WeekMeeting = Type.Static<typeof WeekMeetingSchema>;

export const WeekViewSchema = Type.Object({
  scope: Type.Union([Type.Literal('mine'), Type.Literal('unit')]),
  /** Monday of the week (Vietnam date) */
  weekStart: IsoDate,
  /** the seven days, Monday to Sunday */
  days: Type.Array(IsoDate),
  /** today in Vietnam time (to mark it, and for the "this week" button) */
  today: IsoDate,
  /** whether the caller may ask for the unit's view */
  mayViewUnit: Type.Boolean(),
  /** in time order */
  meetings: Type.Array(WeekMeetingSchema),
});
export type WeekView = Type.Static<typeof WeekViewSchema>;

const VN_OFFSET_MS = 7 * 3600_000;

/** The Vietnam date (YYYY-MM-DD) of an instant. */
export function vnDateOf(at: Date | string): string {
  return new Date(new Date(at).getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** A calendar date moved by `days` (pure date arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whether a YYYY-MM-DD string is a real calendar date (not 2026-02-30). */
export function isRealDate(date: string): boolean {
  const d = new Date(`${date}T00:00:00.000Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** Monday of the week that holds `date`. */
export function weekStartOf(date: string): string {
  const dow = new Date(`${date}T00:00:00.000Z`).getUTCDay(); // 0 Sunday … 6 Saturday
  return addDays(date, -((dow + 6) % 7));
}

/** The instants [from, to) of a Vietnam week that starts on Monday `weekStart`. */
export function weekRange(weekStart: string): { from: string; to: string } {
  const from = new Date(new Date(`${weekStart}T00:00:00.000Z`).getTime() - VN_OFFSET_MS);
  return { from: from.toISOString(), to: new Date(from.getTime() + 7 * 86_400_000).toISOString() };
}
