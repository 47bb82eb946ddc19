// Structured content of a meeting's minutes (biên bản họp), and the pure formatting helpers the PDF
// renderer and the UI share. The minutes hold final, human-readable strings (percentages included)
// so the signed PDF says exactly what the secretary approved; nothing is recomputed at render time.
import Type from 'typebox';

const Text = (maxLength = 500) => Type.String({ maxLength });
const LongText = Type.String({ maxLength: 200_000 });
const IsoDateTime = Type.String({ format: 'date-time', maxLength: 40 });
const Count = Type.Integer({ minimum: 0 });

export const MinutesPersonSchema = Type.Object({
  fullName: Text(200),
  /** chức vụ, e.g. "Phó Chánh Văn phòng" */
  position: Type.Optional(Text(200)),
});
export type MinutesPerson = Type.Static<typeof MinutesPersonSchema>;

export const MinutesAttendanceSchema = Type.Object({
  /** voting members of the meeting (tổng số thành viên) */
  membersTotal: Count,
  present: Type.Array(MinutesPersonSchema),
  absent: Type.Array(Type.Object({ fullName: Text(200), reason: Type.Optional(Text()) })),
  /** ủy quyền: an absent member's vote is cast by another member */
  proxies: Type.Array(Type.Object({ fromName: Text(200), toName: Text(200) })),
  /** khách mời: attend without a vote */
  guests: Type.Array(MinutesPersonSchema),
});
export type MinutesAttendance = Type.Static<typeof MinutesAttendanceSchema>;

export const MinutesSpeakerSchema = Type.Object({
  fullName: Text(200),
  /** speak = phát biểu, question = chất vấn */
  kind: Type.Union([Type.Literal('speak'), Type.Literal('question')]),
  /** the secretary's summary of what was said */
  summary: Type.Optional(LongText),
});
export type MinutesSpeaker = Type.Static<typeof MinutesSpeakerSchema>;

export const MinutesAgendaItemSchema = Type.Object({
  title: Text(),
  presenter: Type.Optional(Text(200)),
  /** written by the secretary; blank lines separate paragraphs */
  discussion: LongText,
  speakers: Type.Array(MinutesSpeakerSchema),
  /** the chair's conclusion on this item */
  conclusion: Type.Optional(LongText),
  /** false: never opened in the meeting and nothing written; the PDF lists it without a heading */
  discussed: Type.Optional(Type.Boolean()),
});
export type MinutesAgendaItem = Type.Static<typeof MinutesAgendaItemSchema>;

export const MinutesVoteResultSchema = Type.Object({
  question: Text(1000),
  mode: Type.Union([Type.Literal('named'), Type.Literal('secret')]),
  /** how "passed" was decided, as a sentence, e.g. "quá nửa tổng số thành viên" */
  ruleLabel: Text(),
  /** "có quyền biểu quyết": the members with a vote, the same figure in every vote of the meeting */
  eligible: Count,
  /** what the percentages are of (the rule's base: members, present or ballots cast); absent: eligible */
  base: Type.Optional(Count),
  ballotsCast: Count,
  /** secret votes: how many ballots were paper, counted by the counting committee */
  paperBallots: Type.Optional(Count),
  /** named votes: members whose vote an officer recorded (no device), and who recorded it */
  recorded: Type.Optional(Type.Array(Type.Object({ memberName: Text(200), byName: Text(200) }))),
  /** one row per choice, in display order; percent is final text such as "80,00%" */
  choices: Type.Array(Type.Object({ label: Text(200), count: Count, percent: Text(20) })),
  passed: Type.Boolean(),
  /** an election (bầu cử): seats, who is elected, who tied at the last seat (choices: one row per candidate) */
  election: Type.Optional(Type.Object({ seats: Count, elected: Type.Array(Text(200)), tied: Type.Array(Text(200)) })),
});
export type MinutesVoteResult = Type.Static<typeof MinutesVoteResultSchema>;

export const MinutesDocumentSchema = Type.Object({
  organization: Type.Object({
    /** cơ quan chủ quản, e.g. "UBND TỈNH X" (may be empty) */
    parentAgency: Text(200),
    /** e.g. "VĂN PHÒNG" */
    unitName: Text(200),
  }),
  /** the part after "Số: ", e.g. "12/BB-VP" */
  number: Text(100),
  /** the place in the date line, e.g. "Hà Nội" */
  place: Text(100),
  /** the date the minutes are drawn up (instant; shown in Vietnam time) */
  date: IsoDateTime,
  /** trích yếu without the leading "Về việc" */
  subject: Text(1000),
  startedAt: IsoDateTime,
  endedAt: IsoDateTime,
  location: Text(),
  chair: MinutesPersonSchema,
  secretary: MinutesPersonSchema,
  attendance: MinutesAttendanceSchema,
  agendaItems: Type.Array(MinutesAgendaItemSchema),
  votes: Type.Array(MinutesVoteResultSchema),
  /** the chair's overall conclusions, one paragraph each */
  conclusions: Type.Array(LongText),
  /** số bản: how many copies are made */
  copies: Type.Integer({ minimum: 1, maximum: 99 }),
  /** hash at the head of the meeting's event log when the minutes were finalised */
  eventLogHeadHash: Text(200),
});
export type MinutesDocument = Type.Static<typeof MinutesDocumentSchema>;

// ---- formatting (Vietnam time, UTC+7 all year: no daylight saving)

const VN_OFFSET_MS = 7 * 3600_000;

interface VnParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function vnParts(at: Date | string): VnParts {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`invalid date: ${String(at)}`);
  const d = new Date(ms + VN_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * "ngày 21 tháng 11 năm 2026". Decree 30 writes a leading zero for days below 10 and for
 * months 1 and 2 only (so "tháng 01", "tháng 3"): "tháng 1" could be misread as the start of "tháng 10..12".
 */
export function formatVnDate(at: Date | string): string {
  const p = vnParts(at);
  const month = p.month <= 2 ? pad2(p.month) : String(p.month);
  return `ngày ${pad2(p.day)} tháng ${month} năm ${p.year}`;
}

/** "08 giờ 30 phút" */
export function formatVnTime(at: Date | string): string {
  const p = vnParts(at);
  return `${pad2(p.hour)} giờ ${pad2(p.minute)} phút`;
}

/** "08 giờ 30 phút, ngày 21 tháng 11 năm 2026" */
export function formatVnDateTime(at: Date | string): string {
  return `${formatVnTime(at)}, ${formatVnDate(at)}`;
}

/**
 * When a signature was made, for people to read (the minutes panel): "10 giờ 05 phút, ngày 04 tháng 12
 * năm 2026" as Vietnamese documents write it, or in English "4 December 2026, 10:05 (Vietnam time)".
 * Never the raw ISO text; an unreadable value is returned as it came.
 */
export function formatSignedAt(at: string, lang: 'vi' | 'en'): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  if (lang === 'vi') return formatVnDateTime(d);
  const p = vnParts(d);
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  return `${p.day} ${months[p.month - 1]} ${p.year}, ${pad2(p.hour)}:${pad2(p.minute)} (Vietnam time)`;
}

/** The date line under the national motto: "Hà Nội, ngày 21 tháng 11 năm 2026" */
export function formatPlaceDate(place: string, at: Date | string): string {
  return `${place}, ${formatVnDate(at)}`;
}

/** ISO 8601 in Vietnam time with its offset, e.g. "2026-11-21T08:30:00+07:00" (signature marks). */
export function formatIsoVn(at: Date | string): string {
  const p = vnParts(at);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}+07:00`;
}

/**
 * The time on a signature stamp, as Vietnamese signing stamps write it: "11:30:05 ngày 21/11/2026"
 * (Vietnam time, to the second: it must agree with the signature's own signing time). Short enough
 * for the stamp's width, unlike the words of formatVnDateTime.
 */
export function formatStampTime(at: Date | string): string {
  const p = vnParts(at);
  return `${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)} ngày ${pad2(p.day)}/${pad2(p.month)}/${p.year}`;
}

/** True when two instants fall on the same calendar day in Vietnam ("cùng ngày"). */
export function sameVnDay(a: Date | string, b: Date | string): boolean {
  const x = vnParts(a);
  const y = vnParts(b);
  return x.year === y.year && x.month === y.month && x.day === y.day;
}

export { formatPercent } from './format-percent';

/** Two-digit count as Decree 30 writes small numbers of copies/pages: 2 → "02", 12 → "12". */
export function formatCount2(n: number): string {
  return n < 10 ? pad2(n) : String(n);
}
