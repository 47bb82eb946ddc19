// Pure: the meeting (row, members, agenda), its log and its folded state → the MinutesDocument the
// PDF is rendered from. Everything that happened (times, attendance, proxies, who took the floor,
// vote results, the log's head hash) comes from the record; what the secretary wrote comes from the
// minutes.update fields in the same state. Called for the live draft, the preview and finalising,
// so all three always agree.
import {
  formatPercent,
  type MinutesAgendaItem,
  type MinutesDocument,
  type MinutesPerson,
  type MinutesVoteResult,
} from '../../shared/minutes';
import { fieldText, parseCopies } from '../../shared/minutes-draft';
import type { LiveEvent } from '../../shared/events';
import type { MeetingState } from '../../shared/meeting-state';
import type { FloorKind } from '../../shared/floor';
import type { MeetingRole } from '../../shared/roles';
import { VOTING_ROLES } from '../../shared/roles';
import type { VoteRule } from '../../shared/vote-rules';

export interface MinutesSource {
  meeting: { title: string; location: string | null; organization: string | null; startsAt: string | null };
  /** in a stable order (the chair comes first in the attendance list whatever this order is) */
  members: readonly { userId: string; fullName: string; role: MeetingRole; unit?: string | null; position?: string | null }[];
  /** in agenda order */
  agenda: readonly { id: string; title: string; presenterId: string | null }[];
  /** the log up to `head`, in seq order */
  events: readonly LiveEvent[];
  /** the state folded from those events */
  state: MeetingState;
  head: { hash: string; seq: number };
  now: Date;
  /** the place (địa danh) printed before the date unless the secretary writes one (config.minutesPlaceName) */
  defaultPlace?: string;
}

/** A speaker's turn as the editor needs it: the request id the secretary's summary is keyed by. */
export interface MinutesSpeakerTurn {
  requestId: string;
  userId: string;
  fullName: string;
  kind: FloorKind;
  at: string;
}

export interface MinutesOutline {
  /** parallel to document.agendaItems */
  items: { itemId: string; speakers: MinutesSpeakerTurn[] }[];
}

/** The place (địa danh) when neither the secretary nor the configuration (MINUTES_PLACE_NAME) gives one: dots to fill in. */
export const DEFAULT_MINUTES_PLACE = '……';
export const DEFAULT_MINUTES_NUMBER = '.../BB';
export const DEFAULT_MINUTES_COPIES = 2;

const HERE = new Set(['present', 'late']);

/** The rule as the minutes state it, completing "Căn cứ quy định (…)". */
export function ruleLabel(rule: VoteRule): string {
  switch (rule.kind) {
    case 'majority_of_members':
      return 'quá nửa tổng số thành viên tán thành';
    case 'majority_of_present':
      return 'quá nửa số thành viên có mặt tán thành';
    case 'two_thirds_of_members':
      return 'từ hai phần ba tổng số thành viên trở lên tán thành';
    case 'threshold': {
      const base =
        rule.base === 'members' ? 'tổng số thành viên' : rule.base === 'present' ? 'số thành viên có mặt' : 'số phiếu biểu quyết';
      return `${rule.strict ? 'trên' : 'từ'} ${rule.numerator}/${rule.denominator} ${base}${rule.strict ? '' : ' trở lên'} tán thành`;
    }
  }
}

const paragraphs = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function buildMinutesDocument(src: MinutesSource): { document: MinutesDocument; outline: MinutesOutline } {
  const { state, members } = src;
  const m = state.minutes;
  const nameOf = (userId: string) => members.find((x) => x.userId === userId)?.fullName ?? 'Không rõ';
  const field = (k: string, d: string) => fieldText(m, k).trim() || d;

  // ---- who took the floor, under the agenda item open at that moment
  const turns = new Map<string, MinutesSpeakerTurn[]>();
  let currentItem: string | null = null;
  const opened = new Set<string>();
  const firstItem = src.agenda[0]?.id ?? null;
  for (const e of src.events) {
    if (e.type === 'agenda.open') {
      currentItem = (e.payload as { itemId: string }).itemId;
      opened.add(currentItem);
    }
    if (e.type === 'floor.grant') {
      const p = e.payload as { requestId: string; userId: string; kind: FloorKind };
      const itemId = currentItem ?? firstItem;
      if (!itemId) continue;
      const list = turns.get(itemId) ?? [];
      list.push({ requestId: p.requestId, userId: p.userId, fullName: nameOf(p.userId), kind: p.kind, at: e.at });
      turns.set(itemId, list);
    }
  }

  // ---- attendance: voting members present, absent (with reasons), proxies, guests present
  const chair = members.find((x) => x.role === 'chair');
  const secretary = members.find((x) => x.role === 'secretary');
  const voting = members
    .filter((x) => VOTING_ROLES.includes(x.role))
    .sort((a, b) => Number(b.role === 'chair') - Number(a.role === 'chair'));
  const status = (userId: string) => state.attendance[userId];
  const present = voting.filter((x) => HERE.has(status(x.userId)?.status ?? ''));
  const absent = voting
    .filter((x) => !HERE.has(status(x.userId)?.status ?? ''))
    .map((x) => {
      const a = status(x.userId);
      const reason = a?.reason?.trim() || (a?.status === 'excused' ? 'đã báo vắng' : '');
      return reason ? { fullName: x.fullName, reason: cut(reason, 500) } : { fullName: x.fullName };
    });
  const proxyMap = new Map<string, string>();
  for (const id of state.votes.order)
    for (const [from, to] of Object.entries(state.votes.byId[id]?.proxies ?? {})) proxyMap.set(from, to);
  for (const [from, to] of Object.entries(state.proxies)) proxyMap.set(from, to);
  const proxies = [...proxyMap].map(([from, to]) => ({ fromName: nameOf(from), toName: nameOf(to) }));
  const guests = members.filter((x) => x.role === 'guest' && HERE.has(status(x.userId)?.status ?? '')).map(minutesPerson);

  // ---- agenda items with the secretary's text
  const agendaItems: MinutesAgendaItem[] = src.agenda.map((item) => {
    const conclusion = fieldText(m, `item:${item.id}:conclusion`).trim();
    const discussion = fieldText(m, `item:${item.id}:discussion`).trim();
    const discussed = opened.has(item.id) || discussion !== '' || conclusion !== '' || (turns.get(item.id)?.length ?? 0) > 0;
    return {
      discussed,
      title: item.title,
      ...(item.presenterId ? { presenter: nameOf(item.presenterId) } : {}),
      discussion: fieldText(m, `item:${item.id}:discussion`).trim(),
      speakers: (turns.get(item.id) ?? []).map((t) => {
        const summary = fieldText(m, `speaker:${t.requestId}`).trim();
        return { fullName: t.fullName, kind: t.kind, ...(summary ? { summary } : {}) };
      }),
      ...(conclusion ? { conclusion } : {}),
    };
  });

  // ---- votes: every closed vote, its result as announced (percentages of the rule's base)
  const votes: MinutesVoteResult[] = [];
  for (const id of state.votes.order) {
    const v = state.votes.byId[id];
    if (!v || v.status !== 'closed' || !v.result) continue;
    const r = v.result;
    votes.push({
      question: cut(v.question, 1000),
      mode: v.secret ? 'secret' : 'named',
      ruleLabel: ruleLabel(r.rule),
      // the same figure in every vote: the members with a vote; the rule's base only for percentages
      eligible: r.members,
      base: r.base,
      ballotsCast: r.cast,
      ...(r.paperBallots ? { paperBallots: r.paperBallots } : {}),
      ...(r.named?.some((n) => n.recordedBy)
        ? {
            recorded: r.named
              .filter((n) => n.recordedBy)
              .map((n) => ({ memberName: nameOf(n.memberId), byName: nameOf(n.recordedBy!) })),
          }
        : {}),
      choices: v.choices.map((c) => {
        const count = r.counts.find((x) => x.choiceId === c.id)?.count ?? 0;
        return { label: c.label, count, percent: formatPercent(count, r.base) };
      }),
      passed: r.passed,
      ...(r.election
        ? {
            election: {
              seats: r.election.seats,
              elected: r.election.elected.map((id) => v.choices.find((c) => c.id === id)?.label ?? id),
              tied: r.election.tiedAtLastSeat.map((id) => v.choices.find((c) => c.id === id)?.label ?? id),
            },
          }
        : {}),
    });
  }

  const now = src.now.toISOString();
  const startedAt = state.startedAt ?? src.meeting.startsAt ?? now;
  const endedAt = state.endedAt ?? now;
  const copies = parseCopies(field('copies', String(DEFAULT_MINUTES_COPIES))) ?? DEFAULT_MINUTES_COPIES;
  const document: MinutesDocument = {
    organization: {
      parentAgency: cut(field('parentAgency', ''), 200),
      unitName: cut(field('unitName', src.meeting.organization ?? ''), 200),
    },
    number: cut(field('number', DEFAULT_MINUTES_NUMBER), 100),
    place: cut(field('place', src.defaultPlace?.trim() || DEFAULT_MINUTES_PLACE), 100),
    date: endedAt,
    subject: cut(field('subject', src.meeting.title), 1000),
    startedAt,
    endedAt,
    location: cut(src.meeting.location ?? '', 500),
    chair: minutesPerson(chair),
    secretary: minutesPerson(secretary),
    attendance: { membersTotal: voting.length, present: present.map(minutesPerson), absent, proxies, guests },
    agendaItems,
    votes,
    conclusions: paragraphs(fieldText(m, 'conclusions')),
    copies,
    eventLogHeadHash: src.head.hash,
  };
  return { document, outline: { items: src.agenda.map((i) => ({ itemId: i.id, speakers: turns.get(i.id) ?? [] })) } };
}

/**
 * A person as the minutes print them: the name, and the chức vụ with the đơn vị as Vietnamese
 * documents write it ("Giám đốc Sở Tư pháp"); no position key when neither is known.
 */
function minutesPerson(m: { fullName: string; unit?: string | null; position?: string | null } | undefined): MinutesPerson {
  if (!m) return { fullName: '' };
  const position = [m.position?.trim(), m.unit?.trim()].filter(Boolean).join(' ').slice(0, 200);
  return position ? { fullName: m.fullName, position } : { fullName: m.fullName };
}
