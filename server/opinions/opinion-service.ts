// Written opinions (lấy ý kiến bằng văn bản): the office of a meeting (its chair or secretary, or
// an administrator) asks some of its members to answer questions by a deadline; each member saves
// answers (changeable until the deadline) and confirms them by signing their answer sheet with the
// minutes' signing service. Saving again clears the signature: only signed answers count.
// The request closes at the deadline — checked on every read and write, so no timer has to survive
// a restart — or as soon as every member asked has signed. Closing computes the result with the
// vote rules (shared/opinions.ts) and renders and signs the báo cáo tổng hợp ý kiến (signed by the
// one who asked). Nobody sees another member's answers before the result, unless the request is
// named (phiếu ghi danh): then the signed answers are shown with their authors to everyone who may see
// the request (the members asked and the office). Nothing here knows HTTP.
//
// On the asynchronous Store (server/db/store.ts): every write is one transaction keyed by the
// request's meeting, and the reads that decide it (deadline, status, the signature being replaced)
// happen inside it; the slow work (rendering and signing a PDF) runs between a read and a write,
// never inside a transaction. Across processes the guards are in the writes: a signature lands only
// on the answers it rendered and while the request is open; closing lands only if the signed answers
// it tallied are still the signed answers; a reminder is claimed by marking the request.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { opinionRequests } from '../db/schema';
import type { Query, Store, Tables } from '../db/store';
import { AppError } from '../errors';
import { newId } from '../ids';
import { can, meetingAccess, type MeetingAccess } from '../policies/meeting-policy';
import { draftsVisibleTo } from '../policies/document-policy';
import type { DocumentStore } from '../services/document-store';
import type { MinutesService } from '../minutes/minutes-service';
import { ruleLabel } from '../minutes/build-minutes-document';
import type { NotificationService, Staged } from '../notifications/notification-service';
import { validateRule, type VoteRule } from '../../shared/vote-rules';
import { KeyedQueue } from '../services/keyed-queue';
import {
  tallyQuestion,
  type CreateOpinionRequest,
  type OpinionAnswer,
  type OpinionQuestion,
  type OpinionRequestView,
  type OpinionResult,
} from '../../shared/opinions';

const renderAnswerSheet: typeof import('../pdf/render-opinions').renderAnswerSheet = async (...a) =>
  (await import('../pdf/render-opinions')).renderAnswerSheet(...a);
const renderOpinionReport: typeof import('../pdf/render-opinions').renderOpinionReport = async (...a) =>
  (await import('../pdf/render-opinions')).renderOpinionReport(...a);
const signPdf: typeof import('../signing/sign-pdf').signPdf = async (...a) => (await import('../signing/sign-pdf')).signPdf(...a);

export type RequestRow = typeof opinionRequests.$inferSelect;
interface Actor {
  id: string;
  isAdmin: boolean;
}
interface Recipient {
  userId: string;
  fullName: string;
}

/** reminders go out this long before a request's deadline to the members who have not signed */
export const REMINDER_LEAD_MS = 24 * 3600_000;

const isOffice = (a: MeetingAccess) => can(a, 'askOpinions');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
// names in Vietnamese order, the id breaking ties: the same on both databases (their collations differ)
const byName = <R extends { fullName: string; userId: string }>(a: R, b: R) =>
  a.fullName.localeCompare(b.fullName, 'vi') || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);

// ---- queries (a read handle or a write transaction; `t` the store's tables)

export async function requestRow(q: Query, t: Tables, id: string): Promise<RequestRow> {
  const [row] = await q.select().from(t.opinionRequests).where(eq(t.opinionRequests.id, id));
  if (!row) throw new AppError('NOT_FOUND', 'Request not found');
  return row;
}

async function isAsked(q: Query, t: Tables, id: string, userId: string): Promise<boolean> {
  const rows = await q
    .select({ u: t.opinionRecipients.userId })
    .from(t.opinionRecipients)
    .where(and(eq(t.opinionRecipients.requestId, id), eq(t.opinionRecipients.userId, userId)));
  return rows.length > 0;
}

/** The members asked, by name. */
export async function recipientsOf(q: Query, t: Tables, id: string): Promise<Recipient[]> {
  const rows = await q
    .select({ userId: t.users.id, fullName: t.users.fullName })
    .from(t.opinionRecipients)
    .innerJoin(t.users, eq(t.users.id, t.opinionRecipients.userId))
    .where(eq(t.opinionRecipients.requestId, id));
  return rows.sort(byName);
}

/** The signed answers of a request (only these count). */
async function signedResponses(q: Query, t: Tables, id: string) {
  return q
    .select({ userId: t.opinionResponses.userId, answers: t.opinionResponses.answers, signedAt: t.opinionResponses.signedAt })
    .from(t.opinionResponses)
    .where(and(eq(t.opinionResponses.requestId, id), isNotNull(t.opinionResponses.signedAt)))
    .orderBy(asc(t.opinionResponses.userId));
}

/** The account name a signing certificate is issued to. */
async function usernameOf(q: Query, t: Tables, userId: string): Promise<string | undefined> {
  const [u] = await q.select({ username: t.users.username }).from(t.users).where(eq(t.users.id, userId));
  return u?.username;
}

async function headerOf(q: Query, t: Tables, row: RequestRow, now: Date) {
  const [meeting] = await q
    .select({ title: t.meetings.title, organization: t.meetings.organization })
    .from(t.meetings)
    .where(eq(t.meetings.id, row.meetingId));
  return {
    organization: { parentAgency: '', unitName: meeting?.organization ?? '' },
    number: '.../BC',
    place: '……',
    date: now.toISOString(),
    subject: row.title,
  };
}

/**
 * The result of a request from its signed answers (the vote rules of shared/opinions.ts), and which
 * members' signed answers it counted (closing checks, in its write, that they are still the same).
 */
export async function opinionResult(
  q: Query,
  t: Tables,
  row: RequestRow,
  because: OpinionResult['closedBecause'],
): Promise<{ result: OpinionResult; counted: string[]; recipients: Recipient[] }> {
  const questions = JSON.parse(row.questions) as OpinionQuestion[];
  const rule = JSON.parse(row.rule) as VoteRule;
  const recipients = await recipientsOf(q, t, row.id);
  const signed = (await signedResponses(q, t, row.id)).filter((r) => recipients.some((x) => x.userId === r.userId));
  const nameOf = (u: string) => recipients.find((x) => x.userId === u)?.fullName ?? u;
  const result: OpinionResult = {
    asked: recipients.length,
    answered: signed.length,
    closedBecause: because,
    questions: questions.map((qn) =>
      tallyQuestion(
        qn.id,
        rule,
        recipients.length,
        signed
          .flatMap((s) => {
            const a = (JSON.parse(s.answers) as OpinionAnswer[]).find((x) => x.questionId === qn.id);
            return a ? [{ name: nameOf(s.userId), choice: a.choice, ...(a.text ? { text: a.text } : {}) }] : [];
          })
          .sort((a, b) => a.name.localeCompare(b.name, 'vi')),
      ),
    ),
  };
  return { result, counted: signed.map((s) => s.userId), recipients };
}

/**
 * Claims the reminder of one request (inside a write): marks it reminded if nobody did yet and
 * returns the members asked who have not signed; null if another pass (another process) claimed it
 * first or it is no longer open. The caller stages their notifications in the same transaction.
 */
export async function claimOpinionReminder(tx: Query, t: Tables, requestId: string, now: Date): Promise<string[] | null> {
  const marked = await tx
    .update(t.opinionRequests)
    .set({ reminderSentAt: now.toISOString() })
    .where(
      and(eq(t.opinionRequests.id, requestId), eq(t.opinionRequests.status, 'open'), isNull(t.opinionRequests.reminderSentAt)),
    )
    .returning({ id: t.opinionRequests.id });
  if (marked.length !== 1) return null;
  const signed = new Set((await signedResponses(tx, t, requestId)).map((x) => x.userId));
  return (await recipientsOf(tx, t, requestId)).map((x) => x.userId).filter((u) => !signed.has(u));
}

/** Open requests whose deadline is less than `leadMs` away and not reminded yet. */
export async function dueForReminder(q: Query, t: Tables, now: Date, leadMs: number): Promise<RequestRow[]> {
  const rows = await q
    .select()
    .from(t.opinionRequests)
    .where(and(eq(t.opinionRequests.status, 'open'), isNull(t.opinionRequests.reminderSentAt)))
    .orderBy(asc(t.opinionRequests.deadline), asc(t.opinionRequests.id));
  return rows.filter((r) => {
    const left = new Date(r.deadline).getTime() - now.getTime();
    return left > 0 && left <= leadMs;
  });
}

export class OpinionService {
  /** close and sign of one request run one at a time in this process */
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly database: Store,
    private readonly files: DocumentStore,
    private readonly minutes: MinutesService,
    private readonly notifications: NotificationService,
  ) {}

  // ---- the office

  async create(actor: Actor, meetingId: string, body: CreateOpinionRequest, now = new Date()): Promise<{ id: string }> {
    const deadline = new Date(body.deadline);
    const questions: OpinionQuestion[] = body.questions.map((q, i) => ({ id: `q${i + 1}`, text: q.trim() }));
    const id = newId();
    const staged = await this.database.write(meetingId, async (tx, t) => {
      const access = await meetingAccess(tx, t, actor, meetingId);
      if (!isOffice(access))
        throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator asks for written opinions');
      if (Number.isNaN(deadline.getTime()) || deadline.getTime() <= now.getTime())
        throw new AppError('INVALID', 'The deadline must be in the future');
      const ruleError = validateRule(body.rule);
      if (ruleError) throw new AppError('INVALID', ruleError);
      if (questions.some((q) => !q.text)) throw new AppError('INVALID', 'A question is empty');
      if (!body.title.trim()) throw new AppError('INVALID', 'The title is empty');
      if (new Set(body.recipientIds).size !== body.recipientIds.length) throw new AppError('INVALID', 'A member is asked twice');
      const members = body.recipientIds.length
        ? await tx
            .select({ userId: t.meetingMembers.userId, role: t.meetingMembers.role })
            .from(t.meetingMembers)
            .where(and(eq(t.meetingMembers.meetingId, meetingId), inArray(t.meetingMembers.userId, body.recipientIds)))
        : [];
      for (const uid of body.recipientIds) {
        const m = members.find((x) => x.userId === uid);
        if (!m || m.role === 'guest') throw new AppError('INVALID', 'Only members of this meeting can be asked');
      }
      if (new Set(body.documentIds).size !== body.documentIds.length)
        throw new AppError('INVALID', 'A document is attached twice');
      if (body.documentIds.length) {
        const found = await tx
          .select({ id: t.documents.id })
          .from(t.documents)
          .where(and(eq(t.documents.meetingId, meetingId), inArray(t.documents.id, body.documentIds)));
        if (found.length !== body.documentIds.length) throw new AppError('INVALID', 'A document is not one of this meeting');
      }
      const [meeting] = await tx.select({ title: t.meetings.title }).from(t.meetings).where(eq(t.meetings.id, meetingId));
      await tx.insert(t.opinionRequests).values({
        id,
        meetingId,
        title: body.title.trim(),
        summary: body.summary,
        documentIds: JSON.stringify(body.documentIds),
        questions: JSON.stringify(questions),
        deadline: deadline.toISOString(),
        rule: JSON.stringify(body.rule),
        status: 'open',
        createdBy: actor.id,
        createdAt: now.toISOString(),
        named: body.named === true,
      });
      if (body.recipientIds.length)
        await tx.insert(t.opinionRecipients).values(body.recipientIds.map((userId) => ({ requestId: id, userId })));
      return this.notifications.stage(tx, t, {
        userIds: body.recipientIds,
        kind: 'opinion.requested',
        meetingId,
        params: { title: body.title.trim(), meeting: meeting?.title ?? '', deadline: deadline.toISOString() },
        link: `/opinions/${id}`,
      });
    });
    this.notifications.publish(staged);
    return { id };
  }

  /** The requests of a meeting the caller may see: all for the office, the ones they are asked otherwise. */
  async list(actor: Actor, meetingId: string, now = new Date()): Promise<OpinionRequestView[]> {
    const ids = await this.database.read(async (q, t) => {
      const access = await meetingAccess(q, t, actor, meetingId);
      const rows = await q
        .select({ id: t.opinionRequests.id })
        .from(t.opinionRequests)
        .where(eq(t.opinionRequests.meetingId, meetingId))
        .orderBy(asc(t.opinionRequests.createdAt), asc(t.opinionRequests.id));
      const out: string[] = [];
      for (const r of rows) if (isOffice(access) || (await isAsked(q, t, r.id, actor.id))) out.push(r.id);
      return out;
    });
    const out: OpinionRequestView[] = [];
    for (const id of ids) out.push(await this.get(actor, id, now));
    return out;
  }

  // ---- reading

  /** Who may see the request: the office of its meeting and the members asked; NOT_FOUND for anyone else. */
  private async access(
    q: Query,
    t: Tables,
    actor: Actor,
    id: string,
  ): Promise<{ row: RequestRow; access: MeetingAccess; asked: boolean }> {
    const row = await requestRow(q, t, id);
    let access: MeetingAccess;
    try {
      access = await meetingAccess(q, t, actor, row.meetingId);
    } catch {
      throw new AppError('NOT_FOUND', 'Request not found');
    }
    const asked = await isAsked(q, t, id, actor.id);
    if (!asked && !isOffice(access)) throw new AppError('NOT_FOUND', 'Request not found');
    return { row, access, asked };
  }

  async get(actor: Actor, id: string, now = new Date()): Promise<OpinionRequestView> {
    await this.settle(id, now);
    return this.database.read((q, t) => this.view(q, t, actor, id));
  }

  private async view(q: Query, t: Tables, actor: Actor, id: string): Promise<OpinionRequestView> {
    const { row, access, asked } = await this.access(q, t, actor, id);
    const recipients = await recipientsOf(q, t, id);
    const [mine] = asked
      ? await q
          .select()
          .from(t.opinionResponses)
          .where(and(eq(t.opinionResponses.requestId, id), eq(t.opinionResponses.userId, actor.id)))
      : [];
    const docIds = JSON.parse(row.documentIds) as string[];
    // a draft attached to the request is the officers' alone until it is sent (policies/document-policy.ts)
    const docs = (
      docIds.length
        ? await q
            .select({
              id: t.documents.id,
              title: t.documents.title,
              filename: t.documents.filename,
              publishedAt: t.documents.publishedAt,
            })
            .from(t.documents)
            .where(inArray(t.documents.id, docIds))
        : []
    ).filter((d) => d.publishedAt !== null || draftsVisibleTo(access));
    const signed = await signedResponses(q, t, id);
    const open = row.status === 'open';
    return {
      id: row.id,
      meetingId: row.meetingId,
      title: row.title,
      summary: row.summary,
      documents: docIds
        .map((d) => docs.find((x) => x.id === d))
        .filter((d) => d !== undefined)
        .map((d) => ({ id: d.id, title: d.title ?? d.filename })),
      questions: JSON.parse(row.questions) as OpinionQuestion[],
      deadline: row.deadline,
      rule: JSON.parse(row.rule) as VoteRule,
      status: row.status,
      createdAt: row.createdAt,
      named: row.named,
      asked: recipients,
      answeredCount: signed.length,
      mine: asked
        ? {
            answers: mine ? (JSON.parse(mine.answers) as OpinionAnswer[]) : [],
            updatedAt: mine?.updatedAt ?? null,
            signedAt: mine?.signedAt ?? null,
          }
        : null,
      // a named request shows the signed answers to whoever may see the request (access() above)
      answers: row.named ? namedAnswers(signed, recipients) : null,
      can: { answer: asked && open, seeSummary: isOffice(access) },
      // the result (counts and the quoted opinions with authors) only once closed
      result: open || !row.result ? null : (JSON.parse(row.result) as OpinionResult),
      reportReady: !open && row.reportSha256 !== null,
    };
  }

  async reportPdf(actor: Actor, id: string, now = new Date()): Promise<Buffer> {
    await this.settle(id, now);
    const { row } = await this.database.read((q, t) => this.access(q, t, actor, id));
    if (row.status !== 'closed' || !row.reportSha256)
      throw new AppError('CONFLICT', 'The summary exists once the request has closed');
    return this.readBytes(row.reportSha256);
  }

  // ---- members

  private async requireAnswerable(q: Query, t: Tables, actor: Actor, id: string, now: Date): Promise<RequestRow> {
    const { row, asked } = await this.access(q, t, actor, id);
    if (!asked) throw new AppError('FORBIDDEN', 'Only the members asked answer this request');
    if (row.status !== 'open' || now.getTime() >= new Date(row.deadline).getTime())
      throw new AppError('DEADLINE_PASSED', 'The deadline for answers has passed');
    return row;
  }

  async saveAnswers(actor: Actor, id: string, answers: OpinionAnswer[], now = new Date()): Promise<OpinionRequestView> {
    await this.settle(id, now);
    const meetingId = await this.meetingOf(id);
    await this.database.write(meetingId, async (tx, t) => {
      const row = await this.requireAnswerable(tx, t, actor, id, now);
      const questions = JSON.parse(row.questions) as OpinionQuestion[];
      if (new Set(answers.map((a) => a.questionId)).size !== answers.length)
        throw new AppError('INVALID', 'A question is answered twice');
      if (answers.some((a) => !questions.some((q) => q.id === a.questionId)))
        throw new AppError('INVALID', 'This question is not in the request');
      if (answers.length !== questions.length) throw new AppError('INVALID', 'Answer every question');
      if (answers.some((a) => a.choice === 'other' && !(a.text ?? '').trim()))
        throw new AppError('INVALID', '"Ý kiến khác" needs the opinion written out');
      const clean = questions.map((q) => {
        const a = answers.find((x) => x.questionId === q.id)!;
        const text = (a.text ?? '').trim();
        return { questionId: q.id, choice: a.choice, ...(text ? { text } : {}) };
      });
      const at = now.toISOString();
      // a change clears the signature: the member signs again, or the change does not count
      await tx
        .insert(t.opinionResponses)
        .values({
          requestId: id,
          userId: actor.id,
          answers: JSON.stringify(clean),
          updatedAt: at,
          signedAt: null,
          signedSha256: null,
        })
        .onConflictDoUpdate({
          target: [t.opinionResponses.requestId, t.opinionResponses.userId],
          set: { answers: JSON.stringify(clean), updatedAt: at, signedAt: null, signedSha256: null },
        });
    });
    return this.get(actor, id, now);
  }

  sign(actor: Actor, id: string, now = new Date()): Promise<OpinionRequestView> {
    return this.serial(id, async () => {
      await this.settleNow(id, now);
      // read what is signed …
      const { row, mine, user, username, header } = await this.database.read(async (q, t) => {
        const row = await this.requireAnswerable(q, t, actor, id, now);
        const [mine] = await q
          .select()
          .from(t.opinionResponses)
          .where(and(eq(t.opinionResponses.requestId, id), eq(t.opinionResponses.userId, actor.id)));
        if (!mine) throw new AppError('CONFLICT', 'Save your answers before signing them');
        if (mine.signedAt) throw new AppError('ALREADY_SIGNED', 'You have already signed these answers');
        const [user] = await q.select({ fullName: t.users.fullName }).from(t.users).where(eq(t.users.id, actor.id));
        if (!user) throw new AppError('NOT_FOUND', 'User not found');
        return { row, mine, user, username: await usernameOf(q, t, actor.id), header: await headerOf(q, t, row, now) };
      });
      // … render and sign it outside any transaction …
      const questions = JSON.parse(row.questions) as OpinionQuestion[];
      const answers = JSON.parse(mine.answers) as OpinionAnswer[];
      const sheet = await renderAnswerSheet({
        ...header,
        requestTitle: row.title,
        memberName: user.fullName,
        answers: answers.map((a) => ({
          question: questions.find((q) => q.id === a.questionId)?.text ?? a.questionId,
          choice: a.choice,
          text: a.text ?? '',
        })),
      });
      const signed = await signPdf(sheet.bytes, {
        signer: await this.minutes.signers.signerFor({
          userId: actor.id,
          username: username ?? actor.id,
          fullName: user.fullName,
        }),
        box: sheet.box,
        reason: 'Xác nhận ý kiến',
        location: header.place,
        name: user.fullName,
        signedAt: now,
        fieldName: 'NguoiChoYKien',
      });
      const { sha256: hash } = await this.files.putBytes(signed);
      // … and record it: exactly the answers it rendered (a save in between, another tab, leaves it
      // unsigned), and only while the request is still open (a close elsewhere meanwhile refuses it)
      const allSigned = await this.database.write(row.meetingId, async (tx, t) => {
        const current = await requestRow(tx, t, id);
        if (current.status !== 'open' || now.getTime() >= new Date(current.deadline).getTime())
          throw new AppError('DEADLINE_PASSED', 'The deadline for answers has passed');
        const n = await tx
          .update(t.opinionResponses)
          .set({ signedAt: now.toISOString(), signedSha256: hash })
          .where(
            and(
              eq(t.opinionResponses.requestId, id),
              eq(t.opinionResponses.userId, actor.id),
              eq(t.opinionResponses.updatedAt, mine.updatedAt),
              isNull(t.opinionResponses.signedAt),
            ),
          )
          .returning({ u: t.opinionResponses.userId });
        if (n.length !== 1) throw new AppError('CONFLICT', 'Your answers changed while signing; sign again');
        const [recipients, signedNow] = [await recipientsOf(tx, t, id), await signedResponses(tx, t, id)];
        return recipients.every((r) => signedNow.some((s) => s.userId === r.userId));
      });
      if (allSigned) await this.close(id, 'allAnswered', now);
      return this.get(actor, id, now);
    });
  }

  // ---- reminders

  /**
   * Reminds the members asked who have not signed yet, once per request, when its deadline is less
   * than `leadMs` away (a sweep calls this every minute; the mark in the row, claimed in the write,
   * makes it once across restarts and processes). Returns how many members were reminded.
   */
  async sendDueReminders(now = new Date(), leadMs = REMINDER_LEAD_MS): Promise<number> {
    const due = await this.database.read((q, t) => dueForReminder(q, t, now, leadMs));
    let reminded = 0;
    for (const r of due) {
      const staged: Staged | null = await this.database.write(r.meetingId, async (tx, t) => {
        const waiting = await claimOpinionReminder(tx, t, r.id, now);
        if (waiting === null) return null;
        return this.notifications.stage(tx, t, {
          userIds: waiting,
          kind: 'opinion.reminder',
          meetingId: r.meetingId,
          params: { title: r.title, deadline: r.deadline },
          link: `/opinions/${r.id}`,
        });
      });
      if (staged) {
        this.notifications.publish(staged);
        reminded += staged.pushes.length;
      }
    }
    return reminded;
  }

  // ---- closing

  private meetingOf(id: string): Promise<string> {
    return this.database.read(async (q, t) => (await requestRow(q, t, id)).meetingId);
  }

  /** Closes the request if its deadline has passed (every read and write calls this first). */
  private async settle(id: string, now: Date): Promise<void> {
    const row = await this.database.read((q, t) => requestRow(q, t, id));
    if (row.status !== 'open' || now.getTime() < new Date(row.deadline).getTime()) return;
    return this.serial(id, () => this.settleNow(id, now));
  }

  private async settleNow(id: string, now: Date): Promise<void> {
    const row = await this.database.read((q, t) => requestRow(q, t, id));
    if (row.status === 'open' && now.getTime() >= new Date(row.deadline).getTime()) await this.close(id, 'deadline', now);
  }

  /**
   * Tallies, renders and signs the báo cáo tổng hợp outside any transaction, then closes the request
   * in one write if it is still open and its signed answers are the ones tallied (another process may
   * have recorded a signature meanwhile: then it tallies again).
   */
  private async close(id: string, because: OpinionResult['closedBecause'], now: Date): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const read = await this.database.read(async (q, t) => {
        const row = await requestRow(q, t, id);
        if (row.status !== 'open') return null;
        const tally = await opinionResult(q, t, row, because);
        const [creator] = await q.select({ fullName: t.users.fullName }).from(t.users).where(eq(t.users.id, row.createdBy));
        return {
          row,
          ...tally,
          creator,
          username: await usernameOf(q, t, row.createdBy),
          header: await headerOf(q, t, row, now),
        };
      });
      if (!read) return;
      const { row, result, counted, creator, username, header } = read;
      const questions = JSON.parse(row.questions) as OpinionQuestion[];
      const rule = JSON.parse(row.rule) as VoteRule;
      const report = await renderOpinionReport({
        ...header,
        requestTitle: row.title,
        createdAt: row.createdAt,
        deadline: row.deadline,
        ruleLabel: ruleLabel(rule).replace(/ tán thành$/u, ' đồng ý'),
        asked: result.asked,
        answered: result.answered,
        closedBecause: because,
        questions: result.questions.map((r) => ({
          ...r,
          text: questions.find((q) => q.id === r.questionId)?.text ?? r.questionId,
        })),
        signerTitle: 'NGƯỜI TỔNG HỢP',
        signerName: creator?.fullName ?? '',
      });
      const signedReport = await signPdf(report.bytes, {
        signer: await this.minutes.signers.signerFor({
          userId: row.createdBy,
          username: username ?? row.createdBy,
          fullName: creator?.fullName ?? row.createdBy,
        }),
        box: report.box,
        reason: 'Báo cáo tổng hợp ý kiến',
        location: header.place,
        name: creator?.fullName ?? '',
        signedAt: now,
        fieldName: 'TongHop',
      });
      const { sha256: hash } = await this.files.putBytes(signedReport);
      if (sha256(signedReport) !== hash) throw new AppError('INTERNAL', 'The report was stored under another hash');
      const done = await this.database.write(row.meetingId, async (tx, t) => {
        const current = await requestRow(tx, t, id);
        if (current.status !== 'open') return true;
        const still = (await signedResponses(tx, t, id)).map((s) => s.userId);
        const recipients = await recipientsOf(tx, t, id);
        const countable = still.filter((u) => recipients.some((r) => r.userId === u));
        if (countable.length !== counted.length || countable.some((u) => !counted.includes(u))) return false;
        await tx
          .update(t.opinionRequests)
          .set({ status: 'closed', closedAt: now.toISOString(), result: JSON.stringify(result), reportSha256: hash })
          .where(and(eq(t.opinionRequests.id, id), eq(t.opinionRequests.status, 'open')));
        return true;
      });
      if (done) return;
    }
    throw new AppError('CONFLICT', 'The answers kept changing while the request closed; try again');
  }

  private async readBytes(hash: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.files.pathFor(hash));
    } catch {
      throw new AppError('INTERNAL', 'The report file is missing from the store');
    }
  }

  private serial<T>(key: string, f: () => Promise<T>): Promise<T> {
    return this.queue.run(key, f);
  }
}

/** The signed answers with their authors (a named request only), by name. */
function namedAnswers(
  signed: { userId: string; answers: string; signedAt: string | null }[],
  recipients: Recipient[],
): NonNullable<OpinionRequestView['answers']> {
  return signed
    .flatMap((r) => {
      const who = recipients.find((x) => x.userId === r.userId);
      return who && r.signedAt
        ? [{ userId: r.userId, fullName: who.fullName, answers: JSON.parse(r.answers) as OpinionAnswer[], signedAt: r.signedAt }]
        : [];
    })
    .sort(byName);
}
