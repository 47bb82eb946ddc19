// The giấy mời: issue a version (render the Decree 30 PDF, sign it as the issuing officer, store it,
// record `invitation.issue` on the meeting's log and notify the invitees, in one transaction), list
// the versions with the replies, serve a version's PDF. A change of time, place or title after the
// invitation went out is a new version (a change notice) naming what changed; re-issuing with
// nothing changed is refused. Nothing here knows HTTP.
import fs from 'node:fs/promises';
import { desc, eq, max } from 'drizzle-orm';
import { invitations, type meetings } from '../db/schema';
import type { Query, Store, Tables } from '../db/store';
import { AppError } from '../errors';
import { newId } from '../ids';
import type { MeetingAccess } from '../policies/meeting-policy';
import { canInvitation } from '../policies/invitation-policy';
import type { DocumentStore } from '../services/document-store';
import { listMembers } from '../services/members';
import { listAgenda } from '../services/agenda';
import { listDocuments } from '../services/documents';
import type { LiveService } from '../live/live-service';
import type { SignerProvider } from '../minutes/minutes-service';
import type { SignatureImages } from '../minutes/signature-images';
import type { NotificationService, NotifyInput, Staged } from '../notifications/notification-service';
import { formatVnDateTime } from '../../shared/minutes';
import { expectedAttendance, type InvitationChange } from '../../shared/invitations';
import type {
  InvitationOverview,
  InvitationReplyRow,
  InvitationVersion,
  IssueInvitationBody,
} from '../../shared/invitations-api';
import { VOTING_ROLES } from '../../shared/roles';
import { CHANGE_LABEL_EN, CHANGE_LABEL_VI, ROLE_LABEL_VI, type InvitationDocument } from './invitation-document';
import { KeyedQueue } from '../services/keyed-queue';

// pdf-lib, fontkit and the signing libraries load on the first invitation (as for the minutes)
const renderInvitation: typeof import('../pdf/render-invitation').renderInvitation = async (...a) =>
  (await import('../pdf/render-invitation')).renderInvitation(...a);
const signPdf: typeof import('../signing/sign-pdf').signPdf = async (...a) => (await import('../signing/sign-pdf')).signPdf(...a);

type Row = typeof invitations.$inferSelect;

/** The issued versions of a meeting's invitation, newest first. */
export function invitationVersions(q: Query, t: Tables, meetingId: string): Promise<Row[]> {
  return q.select().from(t.invitations).where(eq(t.invitations.meetingId, meetingId)).orderBy(desc(t.invitations.version));
}

/** The version the next issue takes: one more than the highest issued (1 for the first). */
export async function nextInvitationVersion(q: Query, t: Tables, meetingId: string): Promise<number> {
  const [row] = await q
    .select({ v: max(t.invitations.version) })
    .from(t.invitations)
    .where(eq(t.invitations.meetingId, meetingId));
  return (row?.v ?? 0) + 1;
}

/**
 * The rows of one issued version, in the write transaction that records `invitation.issue`
 * (under the meeting's lock: LiveService's write for the meeting). The version was computed
 * before the PDF was rendered and signed, outside the transaction; if another issue (another
 * process) took that number meanwhile, this one is refused (CONFLICT) instead of storing a PDF
 * that names the wrong version. Returns the staged notifications to publish after the commit.
 * This is the asynchronous body of the `inTx` callback (issue 14: LiveService's inTx becomes
 * `(tx: Query, t: Tables, event) => Promise<void>`); `insertIssuedSync` is today's form.
 */
export async function insertIssued(
  tx: Query,
  t: Tables,
  notifications: NotificationService,
  row: Row,
  notice: NotifyInput,
): Promise<Staged> {
  if ((await nextInvitationVersion(tx, t, row.meetingId)) !== row.version)
    throw new AppError('CONFLICT', 'This version of the invitation was already issued');
  await tx.insert(t.invitations).values(row);
  return notifications.stage(tx, t, notice);
}

const SIGNER_TITLE: Record<string, string> = { chair: 'CHỦ TRÌ', secretary: 'THƯ KÝ' };

export class InvitationService {
  private readonly queue = new KeyedQueue();

  constructor(
    /** the legacy connection: listMembers/listAgenda/listDocuments are not on the Store yet (issue 14) */
    private readonly database: Store,
    private readonly store: DocumentStore,
    private readonly live: LiveService,
    private readonly signers: SignerProvider,
    private readonly signatureImages: SignatureImages,
    private readonly notifications: NotificationService,
    private readonly options: { defaultPlace?: string } = {},
  ) {}

  private versions(meetingId: string): Promise<Row[]> {
    return this.database.read((q, t) => invitationVersions(q, t, meetingId));
  }

  private meeting(meetingId: string): Promise<typeof meetings.$inferSelect | undefined> {
    return this.database.read(async (q, t) => (await q.select().from(t.meetings).where(eq(t.meetings.id, meetingId)))[0]);
  }

  /** What differs between the meeting now and the latest issued version. */
  private changesSince(meeting: typeof meetings.$inferSelect, prev: Row | undefined): InvitationChange[] {
    if (!prev) return [];
    const out: InvitationChange[] = [];
    if ((meeting.startsAt ?? '') !== prev.startsAt) out.push('startsAt');
    if ((meeting.location ?? '') !== prev.location) out.push('location');
    if (meeting.title !== prev.title) out.push('title');
    return out;
  }

  issue(access: MeetingAccess, input: IssueInvitationBody, now = new Date()): Promise<InvitationVersion> {
    return this.serial(access.meetingId, () => this.issueOnce(access, input, now));
  }

  private async issueOnce(access: MeetingAccess, input: IssueInvitationBody, now: Date): Promise<InvitationVersion> {
    if (!canInvitation(access, 'issue'))
      throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator issues the invitation');
    const meeting = await this.meeting(access.meetingId);
    if (!meeting) throw new AppError('NOT_FOUND', 'Meeting not found');
    if ((await this.live.runtime.current(access.meetingId)).status !== 'scheduled')
      throw new AppError('CONFLICT', 'The meeting has started: invitations are for before it');
    if (!meeting.startsAt || !meeting.location?.trim())
      throw new AppError('INVALID', 'Set the meeting’s time and place before issuing the invitation');
    const prev = (await this.versions(access.meetingId))[0];
    const changes = this.changesSince(meeting, prev);
    if (prev && changes.length === 0)
      throw new AppError('INVITATION_UNCHANGED', 'Time, place and title are as the last invitation says: nothing to notify');
    const version = (prev?.version ?? 0) + 1;
    const [issuer] = await this.database.read((q, t) =>
      q.select({ fullName: t.users.fullName, username: t.users.username }).from(t.users).where(eq(t.users.id, access.userId)),
    );
    if (!issuer) throw new AppError('NOT_FOUND', 'User not found');

    const { members, agenda, documents } = await this.database.read(async (q, t) => ({
      members: await listMembers(q, t, access.meetingId),
      agenda: await listAgenda(q, t, access.meetingId),
      documents: await listDocuments(q, t, access.meetingId),
    }));
    const byId = new Map(members.map((m) => [m.userId, m]));
    const chair = members.find((m) => m.role === 'chair');
    const prevDoc = prev ? (JSON.parse(prev.document) as InvitationDocument) : null;
    const doc: InvitationDocument = {
      organization: {
        parentAgency: (input.parentAgency ?? prevDoc?.organization.parentAgency ?? '').trim(),
        unitName: (input.unitName ?? prevDoc?.organization.unitName ?? meeting.organization ?? '').trim(),
      },
      number: input.number,
      place: (input.place ?? prevDoc?.place ?? this.options.defaultPlace ?? '').trim() || '……',
      date: now.toISOString(),
      title: meeting.title,
      version,
      changes,
      replaces: prev ? { number: prev.number, date: prev.issuedAt } : null,
      recipients: input.recipients?.trim() || prevDoc?.recipients || 'Các thành viên dự họp theo danh sách',
      startsAt: meeting.startsAt,
      location: meeting.location.trim(),
      chair: chair?.fullName ?? '',
      participants: members.map((m) => ({ fullName: m.fullName, role: ROLE_LABEL_VI[m.role] ?? m.role })),
      agenda: agenda.map((i) => ({
        title: i.title,
        presenter: i.presenterId ? (byId.get(i.presenterId)?.fullName ?? null) : null,
      })),
      documents: documents.map((d) => d.title ?? d.filename),
      contact: (input.contact ?? prevDoc?.contact ?? '').trim(),
      signer: { title: input.signerTitle?.trim() || SIGNER_TITLE[access.role ?? ''] || 'TL. CHỦ TRÌ', fullName: issuer.fullName },
    };

    const rendered = await renderInvitation(doc, now);
    const image = await this.signatureImages.get(access.userId);
    const signed = await signPdf(rendered.bytes, {
      signer: await this.signers.signerFor({ userId: access.userId, username: issuer.username, fullName: issuer.fullName }),
      box: rendered.signatureBox,
      reason: version === 1 ? 'Ký giấy mời họp' : 'Ký thông báo thay đổi giấy mời',
      location: doc.place,
      name: issuer.fullName,
      signedAt: now,
      ...(image ? { signatureImagePng: image } : {}),
      fieldName: 'NguoiKy',
    });
    const { sha256, size } = await this.store.putBytes(signed);
    const row: Row = {
      id: newId(),
      meetingId: access.meetingId,
      version,
      number: input.number,
      title: meeting.title,
      startsAt: meeting.startsAt,
      location: doc.location,
      document: JSON.stringify(doc),
      sha256,
      size,
      pageCount: rendered.pageCount,
      issuedBy: access.userId,
      issuedAt: now.toISOString(),
    };
    const invitees = members.map((m) => m.userId).filter((id) => id !== access.userId);
    const notice: NotifyInput = {
      userIds: invitees,
      kind: version === 1 ? 'invitation.issued' : 'invitation.changed',
      meetingId: access.meetingId,
      params: {
        title: meeting.title,
        number: input.number,
        when: formatVnDateTime(meeting.startsAt),
        startsAt: meeting.startsAt,
        location: doc.location,
        changesVi: changes.map((c) => CHANGE_LABEL_VI[c]).join(', '),
        changesEn: changes.map((c) => CHANGE_LABEL_EN[c]).join(', '),
      },
      link: `/meetings/${access.meetingId}`,
    };
    let staged: Staged | undefined;
    const r = await this.live.recordServerEvent(
      {
        meetingId: access.meetingId,
        type: 'invitation.issue',
        actor: access.userId,
        key: `invitation.issue:v${version}`,
        payload: {
          version,
          number: input.number,
          sha256,
          pageCount: rendered.pageCount,
          title: meeting.title,
          startsAt: meeting.startsAt,
          location: doc.location,
          changes,
        },
        inTx: async (tx, t) => {
          staged = await insertIssued(tx, t, this.notifications, row, notice);
        },
      },
      now,
    );
    if (!r.event) throw new AppError('CONFLICT', 'This version of the invitation was already issued');
    if (staged) this.notifications.publish(staged);
    return present(row);
  }

  /**
   * After the meeting's details were edited (PATCH /api/meetings/:id): when an invitation went out
   * and the time, place or title now differ from its latest version, issue the change notice (the
   * next version, same number and letterhead, signed by the officer who made the edit), with its
   * notifications and e-mails. Nothing when no invitation was issued, nothing changed, the meeting
   * has started, or the editor may not issue. It runs in the meeting's queue like a manual issue,
   * so an officer issuing by hand at the same moment and this never notify twice: whichever comes
   * second finds nothing changed (INVITATION_UNCHANGED), which here means "already notified".
   */
  noticeAfterEdit(access: MeetingAccess, now = new Date()): Promise<InvitationVersion | null> {
    return this.serial(access.meetingId, async () => {
      if (!canInvitation(access, 'issue')) return null;
      const prev = (await this.versions(access.meetingId))[0];
      if (!prev) return null;
      const meeting = await this.meeting(access.meetingId);
      if (!meeting || this.changesSince(meeting, prev).length === 0) return null;
      if ((await this.live.runtime.current(access.meetingId)).status !== 'scheduled') return null;
      try {
        return await this.issueOnce(access, { number: prev.number }, now);
      } catch (err) {
        if (err instanceof AppError && err.code === 'INVITATION_UNCHANGED') return null;
        throw err;
      }
    });
  }

  async overview(access: MeetingAccess): Promise<InvitationOverview> {
    const meeting = await this.meeting(access.meetingId);
    if (!meeting) throw new AppError('NOT_FOUND', 'Meeting not found');
    const rows = await this.versions(access.meetingId);
    const state = await this.live.runtime.current(access.meetingId);
    const members = await this.database.read((q, t) => listMembers(q, t, access.meetingId));
    const names = new Map(members.map((m) => [m.userId, m.fullName]));
    const officer = canInvitation(access, 'readReplies');
    const replies: InvitationReplyRow[] = members
      .filter((m) => officer || m.userId === access.userId)
      .map((m) => {
        const r = state.invitation.replies[m.userId];
        const proxyTo = state.proxies[m.userId];
        return {
          userId: m.userId,
          fullName: m.fullName,
          role: m.role,
          status: proxyTo !== undefined ? 'proxy' : (r?.status ?? null),
          reason: r?.reason ?? null,
          substituteName: r?.substituteName ?? null,
          substituteApproved: r?.approved ?? false,
          proxyToName: proxyTo !== undefined ? (names.get(proxyTo) ?? null) : null,
          at: r?.at ?? null,
        };
      });
    const voting = members.filter((m) => VOTING_ROLES.includes(m.role)).map((m) => m.userId);
    return {
      versions: rows.map(present),
      canIssue: canInvitation(access, 'issue') && state.status === 'scheduled',
      changedSinceIssue: this.changesSince(meeting, rows[0]),
      replies,
      expected: officer ? expectedAttendance(voting, state.invitation, state.proxies) : null,
    };
  }

  async pdf(access: MeetingAccess, version: number): Promise<{ bytes: Buffer; row: InvitationVersion }> {
    if (!canInvitation(access, 'read')) throw new AppError('FORBIDDEN', 'Not allowed');
    const row = (await this.versions(access.meetingId)).find((r) => r.version === version);
    if (!row) throw new AppError('NOT_FOUND', 'No such version of the invitation');
    try {
      return { bytes: await fs.readFile(this.store.pathFor(row.sha256)), row: present(row) };
    } catch {
      throw new AppError('INTERNAL', 'The invitation file is missing from the store');
    }
  }

  /** Latest version per meeting, for the calendar. */
  async latest(meetingId: string): Promise<Row | undefined> {
    return (await this.versions(meetingId))[0];
  }

  private serial<T>(meetingId: string, f: () => Promise<T>): Promise<T> {
    return this.queue.run(meetingId, f);
  }
}

function present(r: Row): InvitationVersion {
  const doc = JSON.parse(r.document) as InvitationDocument;
  return {
    version: r.version,
    number: r.number,
    title: r.title,
    startsAt: r.startsAt,
    location: r.location,
    changes: doc.changes,
    sha256: r.sha256,
    pageCount: r.pageCount,
    issuedAt: r.issuedAt,
    issuedBy: r.issuedBy,
  };
}
