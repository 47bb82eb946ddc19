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
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { documents, meetings, opinionRecipients, opinionRequests, opinionResponses, users } from '../db/schema';
import { findUserByIdSync } from '../services/users';
import { inWriteTransaction } from '../db/transaction';
import { AppError } from '../errors';
import { newId } from '../ids';
import { can, meetingAccessSync, type MeetingAccess } from '../policies/meeting-policy';
import { draftsVisibleTo } from '../policies/document-policy';
import type { DocumentStore } from '../services/document-store';
import { listMembers } from '../services/members';
import type { MinutesService } from '../minutes/minutes-service';
import { ruleLabel } from '../minutes/build-minutes-document';
import type { NotificationService } from '../notifications/notification-service';
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

type RequestRow = typeof opinionRequests.$inferSelect;
interface Actor {
  id: string;
  isAdmin: boolean;
}

/** reminders go out this long before a request's deadline to the members who have not signed */
export const REMINDER_LEAD_MS = 24 * 3600_000;

const isOffice = (a: MeetingAccess) => can(a, 'askOpinions');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export class OpinionService {
  /** close and sign of one request run one at a time in this process */
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly db: Db,
    private readonly store: DocumentStore,
    private readonly minutes: MinutesService,
    private readonly notifications: NotificationService,
  ) {}

  // ---- the office

  create(actor: Actor, meetingId: string, body: CreateOpinionRequest, now = new Date()): { id: string } {
    const access = meetingAccessSync(this.db, actor, meetingId);
    if (!isOffice(access))
      throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator asks for written opinions');
    const deadline = new Date(body.deadline);
    if (Number.isNaN(deadline.getTime()) || deadline.getTime() <= now.getTime())
      throw new AppError('INVALID', 'The deadline must be in the future');
    const ruleError = validateRule(body.rule);
    if (ruleError) throw new AppError('INVALID', ruleError);
    const questions: OpinionQuestion[] = body.questions.map((q, i) => ({ id: `q${i + 1}`, text: q.trim() }));
    if (questions.some((q) => !q.text)) throw new AppError('INVALID', 'A question is empty');
    if (!body.title.trim()) throw new AppError('INVALID', 'The title is empty');
    if (new Set(body.recipientIds).size !== body.recipientIds.length) throw new AppError('INVALID', 'A member is asked twice');
    const members = listMembers(this.db, meetingId);
    for (const id of body.recipientIds) {
      const m = members.find((x) => x.userId === id);
      if (!m || m.role === 'guest') throw new AppError('INVALID', 'Only members of this meeting can be asked');
    }
    if (new Set(body.documentIds).size !== body.documentIds.length) throw new AppError('INVALID', 'A document is attached twice');
    if (body.documentIds.length) {
      const found = this.db
        .select({ id: documents.id })
        .from(documents)
        .where(and(eq(documents.meetingId, meetingId), inArray(documents.id, body.documentIds)))
        .all();
      if (found.length !== body.documentIds.length) throw new AppError('INVALID', 'A document is not one of this meeting');
    }
    const id = newId();
    const meeting = this.db.select({ title: meetings.title }).from(meetings).where(eq(meetings.id, meetingId)).get();
    const staged = inWriteTransaction(this.db, () => {
      this.db
        .insert(opinionRequests)
        .values({
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
        })
        .run();
      for (const userId of body.recipientIds) this.db.insert(opinionRecipients).values({ requestId: id, userId }).run();
      return this.notifications.stage(this.db, {
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
    const access = meetingAccessSync(this.db, actor, meetingId);
    const rows = this.db
      .select({ id: opinionRequests.id })
      .from(opinionRequests)
      .where(eq(opinionRequests.meetingId, meetingId))
      .orderBy(asc(opinionRequests.createdAt))
      .all();
    const out: OpinionRequestView[] = [];
    for (const r of rows) {
      if (!isOffice(access) && !this.isAsked(r.id, actor.id)) continue;
      out.push(await this.get(actor, r.id, now));
    }
    return out;
  }

  // ---- reading

  private row(id: string): RequestRow {
    const row = this.db.select().from(opinionRequests).where(eq(opinionRequests.id, id)).get();
    if (!row) throw new AppError('NOT_FOUND', 'Request not found');
    return row;
  }

  private isAsked(id: string, userId: string): boolean {
    return (
      this.db
        .select({ u: opinionRecipients.userId })
        .from(opinionRecipients)
        .where(and(eq(opinionRecipients.requestId, id), eq(opinionRecipients.userId, userId)))
        .get() !== undefined
    );
  }

  /** Who may see the request: the office of its meeting and the members asked; NOT_FOUND for anyone else. */
  private access(actor: Actor, id: string): { row: RequestRow; access: MeetingAccess; asked: boolean } {
    const row = this.row(id);
    let access: MeetingAccess;
    try {
      access = meetingAccessSync(this.db, actor, row.meetingId);
    } catch {
      throw new AppError('NOT_FOUND', 'Request not found');
    }
    const asked = this.isAsked(id, actor.id);
    if (!asked && !isOffice(access)) throw new AppError('NOT_FOUND', 'Request not found');
    return { row, access, asked };
  }

  async get(actor: Actor, id: string, now = new Date()): Promise<OpinionRequestView> {
    await this.settle(id, now);
    const { row, access, asked } = this.access(actor, id);
    const recipients = this.recipients(id);
    const mine = asked
      ? this.db
          .select()
          .from(opinionResponses)
          .where(and(eq(opinionResponses.requestId, id), eq(opinionResponses.userId, actor.id)))
          .get()
      : undefined;
    const docIds = JSON.parse(row.documentIds) as string[];
    // a draft attached to the request is the officers' alone until it is sent (policies/document-policy.ts)
    const docs = (
      docIds.length
        ? this.db
            .select({
              id: documents.id,
              title: documents.title,
              filename: documents.filename,
              publishedAt: documents.publishedAt,
            })
            .from(documents)
            .where(inArray(documents.id, docIds))
            .all()
        : []
    ).filter((d) => d.publishedAt !== null || draftsVisibleTo(access));
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
      answeredCount: this.signedCount(id),
      mine: asked
        ? {
            answers: mine ? (JSON.parse(mine.answers) as OpinionAnswer[]) : [],
            updatedAt: mine?.updatedAt ?? null,
            signedAt: mine?.signedAt ?? null,
          }
        : null,
      // a named request shows the signed answers to whoever may see the request (access() above)
      answers: row.named ? this.signedAnswers(id, recipients) : null,
      can: { answer: asked && open, seeSummary: isOffice(access) },
      // the result (counts and the quoted opinions with authors) only once closed
      result: open || !row.result ? null : (JSON.parse(row.result) as OpinionResult),
      reportReady: !open && row.reportSha256 !== null,
    };
  }

  private recipients(id: string): { userId: string; fullName: string }[] {
    return this.db
      .select({ userId: users.id, fullName: users.fullName })
      .from(opinionRecipients)
      .innerJoin(users, eq(users.id, opinionRecipients.userId))
      .where(eq(opinionRecipients.requestId, id))
      .orderBy(asc(users.fullName))
      .all();
  }

  /** The signed answers with their authors (a named request only: get()). */
  private signedAnswers(
    id: string,
    recipients: { userId: string; fullName: string }[],
  ): NonNullable<OpinionRequestView['answers']> {
    return this.db
      .select({ userId: opinionResponses.userId, answers: opinionResponses.answers, signedAt: opinionResponses.signedAt })
      .from(opinionResponses)
      .where(and(eq(opinionResponses.requestId, id), isNotNull(opinionResponses.signedAt)))
      .all()
      .flatMap((r) => {
        const who = recipients.find((x) => x.userId === r.userId);
        return who && r.signedAt
          ? [
              {
                userId: r.userId,
                fullName: who.fullName,
                answers: JSON.parse(r.answers) as OpinionAnswer[],
                signedAt: r.signedAt,
              },
            ]
          : [];
      })
      .sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi'));
  }

  private signedCount(id: string): number {
    return this.db
      .select({ u: opinionResponses.userId })
      .from(opinionResponses)
      .where(and(eq(opinionResponses.requestId, id), isNotNull(opinionResponses.signedAt)))
      .all().length;
  }

  async reportPdf(actor: Actor, id: string, now = new Date()): Promise<Buffer> {
    await this.settle(id, now);
    const { row } = this.access(actor, id);
    if (row.status !== 'closed' || !row.reportSha256)
      throw new AppError('CONFLICT', 'The summary exists once the request has closed');
    return this.readBytes(row.reportSha256);
  }

  // ---- members

  private requireAnswerable(actor: Actor, id: string, now: Date): RequestRow {
    const { row, asked } = this.access(actor, id);
    if (!asked) throw new AppError('FORBIDDEN', 'Only the members asked answer this request');
    if (row.status !== 'open' || now.getTime() >= new Date(row.deadline).getTime())
      throw new AppError('DEADLINE_PASSED', 'The deadline for answers has passed');
    return row;
  }

  async saveAnswers(actor: Actor, id: string, answers: OpinionAnswer[], now = new Date()): Promise<OpinionRequestView> {
    await this.settle(id, now);
    const row = this.requireAnswerable(actor, id, now);
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
    this.db
      .insert(opinionResponses)
      .values({
        requestId: id,
        userId: actor.id,
        answers: JSON.stringify(clean),
        updatedAt: at,
        signedAt: null,
        signedSha256: null,
      })
      .onConflictDoUpdate({
        target: [opinionResponses.requestId, opinionResponses.userId],
        set: { answers: JSON.stringify(clean), updatedAt: at, signedAt: null, signedSha256: null },
      })
      .run();
    return this.get(actor, id, now);
  }

  sign(actor: Actor, id: string, now = new Date()): Promise<OpinionRequestView> {
    return this.serial(id, async () => {
      await this.settleNow(id, now);
      const row = this.requireAnswerable(actor, id, now);
      const mine = this.db
        .select()
        .from(opinionResponses)
        .where(and(eq(opinionResponses.requestId, id), eq(opinionResponses.userId, actor.id)))
        .get();
      if (!mine) throw new AppError('CONFLICT', 'Save your answers before signing them');
      if (mine.signedAt) throw new AppError('ALREADY_SIGNED', 'You have already signed these answers');
      const user = this.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, actor.id)).get();
      if (!user) throw new AppError('NOT_FOUND', 'User not found');
      const questions = JSON.parse(row.questions) as OpinionQuestion[];
      const answers = JSON.parse(mine.answers) as OpinionAnswer[];
      const header = this.header(row, now);
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
          username: findUserByIdSync(this.db, actor.id)?.username ?? actor.id,
          fullName: user.fullName,
        }),
        box: sheet.box,
        reason: 'Xác nhận ý kiến',
        location: header.place,
        name: user.fullName,
        signedAt: now,
        fieldName: 'NguoiChoYKien',
      });
      const { sha256: hash } = await this.store.putBytes(signed);
      // signs exactly the answers it rendered: a save in between (another tab) leaves it unsigned
      const n = this.db
        .update(opinionResponses)
        .set({ signedAt: now.toISOString(), signedSha256: hash })
        .where(
          and(
            eq(opinionResponses.requestId, id),
            eq(opinionResponses.userId, actor.id),
            eq(opinionResponses.updatedAt, mine.updatedAt),
          ),
        )
        .returning({ u: opinionResponses.userId })
        .all().length;
      if (n !== 1) throw new AppError('CONFLICT', 'Your answers changed while signing; sign again');
      if (this.signedCount(id) === this.recipients(id).length) await this.close(id, 'allAnswered', now);
      return this.get(actor, id, now);
    });
  }

  // ---- reminders

  /**
   * Reminds the members asked who have not signed yet, once per request, when its deadline is less
   * than `leadMs` away (a sweep calls this every minute; the mark in the row makes it once, across
   * restarts and processes). Returns how many members were reminded.
   */
  sendDueReminders(now = new Date(), leadMs = REMINDER_LEAD_MS): number {
    const due = this.db
      .select()
      .from(opinionRequests)
      .where(and(eq(opinionRequests.status, 'open'), isNull(opinionRequests.reminderSentAt)))
      .all()
      .filter((r) => {
        const left = new Date(r.deadline).getTime() - now.getTime();
        return left > 0 && left <= leadMs;
      });
    let reminded = 0;
    for (const r of due) {
      const signed = new Set(
        this.db
          .select({ u: opinionResponses.userId })
          .from(opinionResponses)
          .where(and(eq(opinionResponses.requestId, r.id), isNotNull(opinionResponses.signedAt)))
          .all()
          .map((x) => x.u),
      );
      const waiting = this.recipients(r.id)
        .map((x) => x.userId)
        .filter((u) => !signed.has(u));
      const staged = inWriteTransaction(this.db, () => {
        const marked = this.db
          .update(opinionRequests)
          .set({ reminderSentAt: now.toISOString() })
          .where(and(eq(opinionRequests.id, r.id), isNull(opinionRequests.reminderSentAt)))
          .returning({ id: opinionRequests.id })
          .all().length;
        if (marked !== 1) return null;
        return this.notifications.stage(this.db, {
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

  /** Closes the request if its deadline has passed (every read and write calls this first). */
  private settle(id: string, now: Date): Promise<void> {
    const row = this.row(id);
    if (row.status !== 'open' || now.getTime() < new Date(row.deadline).getTime()) return Promise.resolve();
    return this.serial(id, () => this.settleNow(id, now));
  }

  private async settleNow(id: string, now: Date): Promise<void> {
    const row = this.row(id);
    if (row.status === 'open' && now.getTime() >= new Date(row.deadline).getTime()) await this.close(id, 'deadline', now);
  }

  private header(row: RequestRow, now: Date) {
    const meeting = this.db
      .select({ title: meetings.title, organization: meetings.organization })
      .from(meetings)
      .where(eq(meetings.id, row.meetingId))
      .get();
    return {
      organization: { parentAgency: '', unitName: meeting?.organization ?? '' },
      number: '.../BC',
      place: '……',
      date: now.toISOString(),
      subject: row.title,
    };
  }

  private async close(id: string, because: OpinionResult['closedBecause'], now: Date): Promise<void> {
    const row = this.row(id);
    if (row.status !== 'open') return;
    const questions = JSON.parse(row.questions) as OpinionQuestion[];
    const rule = JSON.parse(row.rule) as VoteRule;
    const recipients = this.recipients(id);
    const signed = this.db
      .select({ userId: opinionResponses.userId, answers: opinionResponses.answers })
      .from(opinionResponses)
      .where(and(eq(opinionResponses.requestId, id), isNotNull(opinionResponses.signedAt)))
      .all()
      .filter((r) => recipients.some((x) => x.userId === r.userId));
    const nameOf = (u: string) => recipients.find((x) => x.userId === u)?.fullName ?? u;
    const result: OpinionResult = {
      asked: recipients.length,
      answered: signed.length,
      closedBecause: because,
      questions: questions.map((q) =>
        tallyQuestion(
          q.id,
          rule,
          recipients.length,
          signed
            .flatMap((s) => {
              const a = (JSON.parse(s.answers) as OpinionAnswer[]).find((x) => x.questionId === q.id);
              return a ? [{ name: nameOf(s.userId), choice: a.choice, ...(a.text ? { text: a.text } : {}) }] : [];
            })
            .sort((a, b) => a.name.localeCompare(b.name, 'vi')),
        ),
      ),
    };
    const creator = this.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, row.createdBy)).get();
    const header = this.header(row, now);
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
        username: findUserByIdSync(this.db, row.createdBy)?.username ?? row.createdBy,
        fullName: creator?.fullName ?? row.createdBy,
      }),
      box: report.box,
      reason: 'Báo cáo tổng hợp ý kiến',
      location: header.place,
      name: creator?.fullName ?? '',
      signedAt: now,
      fieldName: 'TongHop',
    });
    const { sha256: hash } = await this.store.putBytes(signedReport);
    if (sha256(signedReport) !== hash) throw new AppError('INTERNAL', 'The report was stored under another hash');
    this.db
      .update(opinionRequests)
      .set({ status: 'closed', closedAt: now.toISOString(), result: JSON.stringify(result), reportSha256: hash })
      .where(and(eq(opinionRequests.id, id), eq(opinionRequests.status, 'open')))
      .run();
  }

  private async readBytes(hash: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.store.pathFor(hash));
    } catch {
      throw new AppError('INTERNAL', 'The report file is missing from the store');
    }
  }

  private serial<T>(key: string, f: () => Promise<T>): Promise<T> {
    return this.queue.run(key, f);
  }
}
