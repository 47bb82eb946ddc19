// The vote-counting minutes (biên bản kiểm phiếu) of a closed election: the chair (or the
// secretary) names the counting committee, head first, and the report is rendered once from the
// published result and stored; then each committee member signs it with the same signing service
// as the minutes, each signature an incremental update of the previous bytes (pdfsig checks them
// all). Nothing here knows HTTP; routes call it with the caller's MeetingAccess.
// On the asynchronous Store: rendering and signing run between a read and a write, never inside a
// transaction; the write that records a report refuses a second one (another process drew it up
// meanwhile), the write that records a signature lands only on the bytes it signed.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { and, eq, inArray } from 'drizzle-orm';
import type { countingReports } from '../db/schema';
import { isUniqueViolation, type Query, type Store, type Tables } from '../db/store';
import { AppError } from '../errors';
import { can, type MeetingAccess } from '../policies/meeting-policy';
import type { DocumentStore } from '../services/document-store';
import type { LiveService } from '../live/live-service';
import type { MinutesService } from '../minutes/minutes-service';
import { ruleLabel } from '../minutes/build-minutes-document';
import type { SignatureBox } from '../pdf/minutes-signature-blocks';
import { formatPercent } from '../../shared/vote-rules';
import type { CountingReportDocument, CountingReportView } from '../../shared/counting-report';
import type { VoteState } from '../../shared/votes';
import { KeyedQueue } from '../services/keyed-queue';

const renderCountingReport: typeof import('../pdf/render-counting-report').renderCountingReport = async (...a) =>
  (await import('../pdf/render-counting-report')).renderCountingReport(...a);
const signPdf: typeof import('../signing/sign-pdf').signPdf = async (...a) => (await import('../signing/sign-pdf')).signPdf(...a);

type Row = typeof countingReports.$inferSelect;
interface CommitteeMember {
  userId: string;
  fullName: string;
  head: boolean;
}
interface Signature {
  userId: string;
  signedAt: string;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export class CountingReportService {
  /** one render or signature at a time per vote in this process (each rewrites the stored bytes) */
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly database: Store,
    private readonly files: DocumentStore,
    private readonly live: LiveService,
    private readonly minutes: MinutesService,
  ) {}

  private async closedElection(access: MeetingAccess, voteId: string): Promise<VoteState> {
    const vote = (await this.live.runtime.current(access.meetingId)).votes.byId[voteId];
    if (!vote) throw new AppError('NOT_FOUND', 'Vote not found in this meeting');
    if (!vote.election) throw new AppError('INVALID', 'Only an election has vote-counting minutes');
    if (vote.status !== 'closed' || !vote.result?.election)
      throw new AppError('CONFLICT', 'The election has not been closed yet');
    return vote;
  }

  private async row(meetingId: string, voteId: string): Promise<Row> {
    const row = await this.database.read((q, t) => reportRow(q, t, voteId));
    if (!row || row.meetingId !== meetingId) throw new AppError('NOT_FOUND', 'No vote-counting minutes for this election yet');
    return row;
  }

  create(access: MeetingAccess, voteId: string, committeeIds: string[], now = new Date()): Promise<CountingReportView> {
    return this.serial(voteId, async () => {
      if (!can(access, 'draftCountingReport'))
        throw new AppError('FORBIDDEN', 'Only the chair or the secretary draws up the vote-counting minutes');
      const vote = await this.closedElection(access, voteId);
      const already = () => new AppError('CONFLICT', 'The vote-counting minutes of this election are already drawn up');
      if (await this.database.read((q, t) => reportRow(q, t, voteId))) throw already();
      if (new Set(committeeIds).size !== committeeIds.length) throw new AppError('INVALID', 'A committee member is named twice');
      const members = await this.database.read((q, t) => membersAmong(q, t, access.meetingId, committeeIds));
      const committee: CommitteeMember[] = committeeIds.map((id, i) => {
        const m = members.find((x) => x.userId === id);
        if (!m || m.role === 'guest')
          throw new AppError('INVALID', 'A counting committee member must be a member of this meeting');
        return { userId: id, fullName: m.fullName, head: i === 0 };
      });
      const document = await this.build(access, vote, committee, now);
      const rendered = await renderCountingReport(document, now);
      const { sha256: hash, size } = await this.files.putBytes(rendered.bytes);
      const row: Row = {
        voteId,
        meetingId: access.meetingId,
        committee: JSON.stringify(committee),
        document: JSON.stringify(document),
        signatureBoxes: JSON.stringify(rendered.signatureBoxes),
        pageCount: rendered.pageCount,
        finalSha256: hash,
        currentSha256: hash,
        currentSize: size,
        signatures: '[]',
        createdBy: access.userId,
        createdAt: now.toISOString(),
      };
      // one per election: checked again in the write (another process may have drawn it up meanwhile)
      try {
        await this.database.write(access.meetingId, async (tx, t) => {
          if (await reportRow(tx, t, voteId)) throw already();
          await tx.insert(t.countingReports).values(row);
        });
      } catch (err) {
        throw isUniqueViolation(err) ? already() : err;
      }
      return view(row);
    });
  }

  private async build(
    access: MeetingAccess,
    vote: VoteState,
    committee: CommitteeMember[],
    now: Date,
  ): Promise<CountingReportDocument> {
    const r = vote.result!;
    const e = r.election!;
    // the header's organisation, place and location as the minutes have them
    const minutesDoc = (await this.minutes.draft(access, now)).document;
    const head = this.live.runtime.headHash(access.meetingId);
    const name = (id: string) => vote.choices.find((c) => c.id === id)?.label ?? id;
    return {
      organization: minutesDoc.organization,
      number: '.../BB-KP',
      place: minutesDoc.place,
      date: vote.closedAt ?? now.toISOString(),
      subject: `kết quả ${vote.question.replace(/^\s*bầu/iu, 'bầu')}`,
      meetingTitle: minutesDoc.subject,
      location: minutesDoc.location,
      question: vote.question,
      secret: vote.secret,
      form: e.form,
      seats: e.seats,
      // "quá nửa tổng số thành viên tán thành" reads, for a candidate, "… bầu"
      ruleLabel: ruleLabel(r.rule).replace(/ tán thành$/u, ' bầu'),
      members: r.members,
      present: r.present,
      ballotsCast: e.ballots,
      blank: e.blank,
      candidates: e.candidates.map((c) => ({
        name: name(c.choiceId),
        votes: c.votes,
        percent: formatPercent(c.votes, r.members),
        elected: c.elected,
      })),
      elected: e.elected.map(name),
      tied: e.tiedAtLastSeat.map(name),
      unfilledSeats: e.unfilledSeats,
      committee: committee.map((m) => ({ fullName: m.fullName, head: m.head })),
      eventLogHeadHash: head,
    };
  }

  /** null while none is drawn up (a closed election without one yet is normal, not an error) */
  async get(access: MeetingAccess, voteId: string): Promise<CountingReportView | null> {
    await this.requireVote(access, voteId);
    const row = await this.database.read((q, t) => reportRow(q, t, voteId));
    return row && row.meetingId === access.meetingId ? view(row) : null;
  }

  private async requireVote(access: MeetingAccess, voteId: string): Promise<void> {
    const vote = (await this.live.runtime.current(access.meetingId)).votes.byId[voteId];
    if (!vote) throw new AppError('NOT_FOUND', 'Vote not found in this meeting');
  }

  async pdf(access: MeetingAccess, voteId: string): Promise<{ bytes: Buffer; view: CountingReportView }> {
    const row = await this.row(access.meetingId, voteId);
    return { bytes: await this.readBytes(row.currentSha256), view: view(row) };
  }

  /** A committee member signs; any order, once each. */
  sign(access: MeetingAccess, voteId: string, now = new Date()): Promise<CountingReportView> {
    return this.serial(voteId, async () => {
      const row = await this.row(access.meetingId, voteId);
      const committee = JSON.parse(row.committee) as CommitteeMember[];
      const signatures = JSON.parse(row.signatures) as Signature[];
      const at = committee.findIndex((m) => m.userId === access.userId);
      if (at < 0) throw new AppError('NOT_A_SIGNER', 'Only the members of the counting committee sign its minutes');
      if (signatures.some((s) => s.userId === access.userId))
        throw new AppError('ALREADY_SIGNED', 'You have already signed these vote-counting minutes');
      const me = committee[at]!;
      const boxes = JSON.parse(row.signatureBoxes) as SignatureBox[];
      const document = JSON.parse(row.document) as CountingReportDocument;
      const before = await this.readBytes(row.currentSha256);
      if (sha256(before) !== row.currentSha256)
        throw new AppError('INTERNAL', 'The stored vote-counting minutes do not match their recorded hash');
      const image = await this.minutes.signatureImages.get(access.userId);
      const username = await this.database.read((q, t) => usernameOf(q, t, me.userId));
      const signed = await signPdf(before, {
        signer: await this.minutes.signers.signerFor({
          userId: me.userId,
          username: username ?? me.userId,
          fullName: me.fullName,
        }),
        box: boxes[at]!,
        reason: me.head ? 'Trưởng ban kiểm phiếu ký biên bản kiểm phiếu' : 'Thành viên Ban kiểm phiếu ký biên bản kiểm phiếu',
        location: document.place,
        name: me.fullName,
        signedAt: now,
        ...(image ? { signatureImagePng: image } : {}),
        fieldName: `KiemPhieu${at + 1}`,
      });
      const { sha256: hash, size } = await this.files.putBytes(signed);
      const next: Signature[] = [...signatures, { userId: me.userId, signedAt: now.toISOString() }];
      // only if nobody else changed it meanwhile (another process): the bytes we signed are still the current ones
      const updated = (
        await this.database.write(access.meetingId, (tx, t) =>
          tx
            .update(t.countingReports)
            .set({ currentSha256: hash, currentSize: size, signatures: JSON.stringify(next) })
            .where(and(eq(t.countingReports.voteId, voteId), eq(t.countingReports.currentSha256, row.currentSha256)))
            .returning({ v: t.countingReports.voteId }),
        )
      ).length;
      if (updated !== 1) throw new AppError('CONFLICT', 'The vote-counting minutes changed meanwhile; try again');
      return view({ ...row, currentSha256: hash, currentSize: size, signatures: JSON.stringify(next) });
    });
  }

  private async readBytes(hash: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.files.pathFor(hash));
    } catch {
      throw new AppError('INTERNAL', 'The vote-counting minutes file is missing from the store');
    }
  }

  private serial<T>(key: string, f: () => Promise<T>): Promise<T> {
    return this.queue.run(key, f);
  }
}

async function reportRow(q: Query, t: Tables, voteId: string): Promise<Row | undefined> {
  const [row] = await q.select().from(t.countingReports).where(eq(t.countingReports.voteId, voteId));
  return row;
}

/** The named people who belong to the meeting, with their role and name. */
async function membersAmong(q: Query, t: Tables, meetingId: string, userIds: string[]) {
  if (userIds.length === 0) return [];
  return q
    .select({ userId: t.meetingMembers.userId, role: t.meetingMembers.role, fullName: t.users.fullName })
    .from(t.meetingMembers)
    .innerJoin(t.users, eq(t.users.id, t.meetingMembers.userId))
    .where(and(eq(t.meetingMembers.meetingId, meetingId), inArray(t.meetingMembers.userId, userIds)));
}

/** The account name a signing certificate is issued to. */
async function usernameOf(q: Query, t: Tables, userId: string): Promise<string | undefined> {
  const [u] = await q.select({ username: t.users.username }).from(t.users).where(eq(t.users.id, userId));
  return u?.username;
}

function view(row: Row): CountingReportView {
  const committee = JSON.parse(row.committee) as CommitteeMember[];
  const signatures = JSON.parse(row.signatures) as Signature[];
  const signedAt = (id: string) => signatures.find((s) => s.userId === id)?.signedAt ?? null;
  return {
    voteId: row.voteId,
    pageCount: row.pageCount,
    sha256: row.currentSha256,
    committee: committee.map((m) => ({ ...m, signedAt: signedAt(m.userId) })),
    complete: committee.every((m) => signedAt(m.userId) !== null),
  };
}
