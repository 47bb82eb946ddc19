// The minutes (biên bản) after the editing: preview, finalise (render once, store the PDF and the
// MinutesDocument it came from, record `minutes.finalize` on the log), sign as the secretary, then as
// the chair (each an incremental update of the previous bytes, recorded as `minutes.sign`), verify,
// and reopen as a new version for a correction (`minutes.revise`, signatures reset).
// Nothing here knows HTTP; routes call it with the caller's MeetingAccess.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { and, desc, eq } from 'drizzle-orm';
import type { Query, Store, Tables } from '../db/store';
import { minutesVersions } from '../db/schema';

import { AppError } from '../errors';
import { newId } from '../ids';
import type { MeetingAccess } from '../policies/meeting-policy';
import {
  mayFinalizeMinutes,
  mayPreviewMinutes,
  mayReviseMinutes,
  minutesAbilities,
  minutesSignerRole,
} from '../policies/minutes-policy';
import type { DocumentStore } from '../services/document-store';
import { listMembers } from '../services/members';
import { listAgenda } from '../services/agenda';
import type { SignatureBoxes } from '../pdf/render-minutes';
import type { Signer } from '../signing/signer';
import type { VerifiedSignature } from '../signing/verify-pdf';
import { readEvents, verifyChain } from '../live/event-log';
import type { LiveService } from '../live/live-service';
import type { LiveEvent } from '../../shared/events';
import type { MinutesDocument } from '../../shared/minutes';
import type { MinutesEventPayloads, MinutesSignerRole, MinutesStatus } from '../../shared/minutes-draft';
import { buildMinutesDocument, type MinutesOutline } from './build-minutes-document';
import { SignatureImages } from './signature-images';
import { KeyedQueue } from '../services/keyed-queue';

// The PDF and signing libraries (pdf-lib, fontkit, pkijs: tens of MB) load on the first minutes
// PDF, not at start: most of a server's life never renders or verifies one (issue 14 item 1).
const renderMinutes: typeof import('../pdf/render-minutes').renderMinutes = async (...a) =>
  (await import('../pdf/render-minutes')).renderMinutes(...a);
const signPdf: typeof import('../signing/sign-pdf').signPdf = async (...a) => (await import('../signing/sign-pdf')).signPdf(...a);
const verifySignedPdf: typeof import('../signing/verify-pdf').verifySignedPdf = async (...a) =>
  (await import('../signing/verify-pdf')).verifySignedPdf(...a);
const signingParts = () => import('./external-signing');

/**
 * Where signing keys come from: the internal CA, or a PKCS#11 token/HSM attached to the server
 * (minutes-plugin.ts picks by configuration). A signer in the user's own hands (a USB token at their
 * desk, a remote-signing service) goes through the deferred flow instead: prepareExternal/completeExternal.
 */
export interface SignerProvider {
  signerFor(identity: { userId: string; username: string; fullName: string }): Promise<Signer>;
  /** CA certificates this provider's signatures chain to and that count as trusted (the internal CA's) */
  anchors?(): Promise<Uint8Array[]>;
}

export interface MinutesSigningOptions {
  defaultPlace?: string;
  /** RFC 3161 Time-Stamp Authority: every server-made signature gets a timestamp (PAdES B-T) */
  tsaUrl?: string;
  tsaTimeoutMs?: number;
  /** how long a prepared deferred signature may wait for the signer's app */
  externalSigningTtlMs?: number;
  /** the CAs trusted for signatures besides the provider's (the administrator's uploads) */
  trustedCertificates?: () => Promise<Uint8Array[]>;
}

export interface MinutesVersionInfo {
  version: number;
  status: MinutesStatus | 'superseded';
  pageCount: number;
  headHash: string;
  sha256: string;
  finalizedAt: string;
  secretarySignedAt: string | null;
  chairSignedAt: string | null;
}

export interface MinutesDraftView {
  meetingId: string;
  meetingStatus: string;
  status: MinutesStatus;
  version: number;
  /** the secretary's texts by key, with the version each edit must name */
  fields: Record<string, { text: string; version: number }>;
  /** the minutes as they would be finalised now (auto-filled parts rebuilt from the log) */
  document: MinutesDocument;
  outline: MinutesOutline;
  versions: MinutesVersionInfo[];
  /** what the caller may do now (the server refuses anyway) */
  can: { edit: boolean; editConclusions: boolean; preview: boolean; finalize: boolean; sign: boolean; revise: boolean };
}

export interface MinutesVerification {
  version: number;
  status: MinutesStatus | 'superseded';
  signatures: ReturnType<typeof signatureView>[];
  /** at least one signature, all valid, the last covering the whole file */
  intact: boolean;
  /** the stored bytes still hash to what was recorded on the log */
  storedBytesIntact: boolean;
  headHash: string;
  headSeq: number;
  /** the log's hash chain holds and its event at headSeq has exactly this hash */
  matchesLog: boolean;
}

type VersionRow = typeof minutesVersions.$inferSelect;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const REASON: Record<MinutesSignerRole, string> = { secretary: 'Thư ký ký biên bản', chair: 'Chủ trì ký biên bản' };

export class MinutesService {
  /** finalise/sign/revise of one meeting run one at a time in this process (each renders or signs) */
  private readonly queue = new KeyedQueue();
  readonly signatureImages: SignatureImages;

  constructor(
    private readonly database: Store,
    private readonly store: DocumentStore,
    private readonly live: LiveService,
    /** also used by the vote-counting minutes of elections (server/elections/counting-report-service.ts) */
    readonly signers: SignerProvider,
    private readonly options: MinutesSigningOptions = {},
  ) {
    this.signatureImages = new SignatureImages(database);
  }

  // ---- reading

  /** (not private: draftView names its result type) */
  async build(meetingId: string, now: Date) {
    // the state as the log stands (another process may have appended), then the events up to it:
    // the log, the state and the head are one consistent cut
    const state = await this.live.runtime.current(meetingId);
    const { meeting, events, members, agenda } = await this.database.read(async (q, t) => ({
      meeting: (await q.select().from(t.meetings).where(eq(t.meetings.id, meetingId)))[0],
      events: (await readEvents(q, t, meetingId)).filter((e) => e.seq <= state.lastSeq),
      members: await listMembers(q, t, meetingId),
      agenda: await listAgenda(q, t, meetingId),
    }));
    if (!meeting) throw new AppError('NOT_FOUND', 'Meeting not found');
    const last = events.at(-1);
    const head = { seq: last?.seq ?? 0, hash: last ? this.live.runtime.headHash(meetingId) : '0'.repeat(64) };
    const built = buildMinutesDocument({
      meeting,
      members,
      agenda: agenda.map((i) => ({ id: i.id, title: i.title, presenterId: i.presenterId })),
      events,
      state,
      head,
      now,
      defaultPlace: this.options.defaultPlace,
    });
    return { ...built, state, head, meeting };
  }

  async draft(access: MeetingAccess, now = new Date()): Promise<MinutesDraftView> {
    const built = await this.build(access.meetingId, now);
    return draftView(access, built, await this.versions(access.meetingId));
  }

  async preview(access: MeetingAccess, now = new Date()): Promise<Uint8Array> {
    if (!mayPreviewMinutes(access))
      throw new AppError('FORBIDDEN', 'Only the chair, the secretary or an administrator previews the minutes');
    const { document } = await this.build(access.meetingId, now);
    return (await renderMinutes(document, { now })).bytes;
  }

  private versions(meetingId: string): Promise<VersionRow[]> {
    return this.database.read((q, t) => minutesVersionsOf(q, t, meetingId));
  }

  private async latest(meetingId: string): Promise<VersionRow> {
    const row = (await this.versions(meetingId))[0];
    if (!row) throw new AppError('MINUTES_NOT_FINAL', 'The minutes have not been finalised yet');
    return row;
  }

  /** The latest finalised minutes: signed bytes once signatures exist. */
  async latestPdf(access: MeetingAccess): Promise<{ bytes: Buffer; row: MinutesVersionInfo }> {
    const row = await this.latest(access.meetingId);
    return { bytes: await this.readBytes(row.currentSha256), row: versionInfo(row) };
  }

  async verify(access: MeetingAccess): Promise<MinutesVerification> {
    const row = await this.latest(access.meetingId);
    const bytes = await this.readBytes(row.currentSha256);
    const result = await verifySignedPdf(bytes, { trustAnchors: await this.trustAnchors() });
    const chain = await this.database.read((q, t) => verifyChain(q, t, access.meetingId));
    const atHead = chain.events.find((e) => e.seq === row.headSeq);
    return {
      version: row.version,
      status: row.status,
      signatures: result.signatures.map(signatureView),
      intact: result.intact,
      storedBytesIntact: sha256(bytes) === row.currentSha256,
      headHash: row.headHash,
      headSeq: row.headSeq,
      matchesLog: chain.verified && atHead?.hash === row.headHash,
    };
  }

  /** Anyone holding a minutes file: who signed it, whether it is intact, and whether we issued exactly these bytes. */
  async verifyFile(bytes: Uint8Array): Promise<{
    signatures: MinutesVerification['signatures'];
    intact: boolean;
    knownVersion: { meetingId: string; version: number; status: string; headHash: string } | null;
  }> {
    const result = await verifySignedPdf(bytes, { trustAnchors: await this.trustAnchors() });
    const hash = sha256(bytes);
    const row = await this.database.read(
      async (q, t) =>
        (
          await q.select().from(t.minutesVersions).where(eq(t.minutesVersions.currentSha256, hash)).orderBy(t.minutesVersions.id)
        )[0] ??
        (
          await q.select().from(t.minutesVersions).where(eq(t.minutesVersions.finalSha256, hash)).orderBy(t.minutesVersions.id)
        )[0],
    );
    return {
      signatures: result.signatures.map(signatureView),
      intact: result.intact,
      knownVersion: row ? { meetingId: row.meetingId, version: row.version, status: row.status, headHash: row.headHash } : null,
    };
  }

  // ---- changing

  finalize(access: MeetingAccess, now = new Date()): Promise<MinutesVersionInfo> {
    return this.serial(access.meetingId, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.finalizeOnce(access, now);
        } catch (err) {
          // an edit landed while the PDF was rendering: render again from the new head
          if (err instanceof HeadMoved && attempt < 2) continue;
          if (err instanceof HeadMoved) throw new AppError('CONFLICT', 'The minutes keep changing; try finalising again');
          throw err;
        }
      }
    });
  }

  private async finalizeOnce(access: MeetingAccess, now: Date): Promise<MinutesVersionInfo> {
    if (!mayFinalizeMinutes(access)) throw new AppError('FORBIDDEN', 'Only the secretary finalises the minutes');
    const { document, state, head } = await this.build(access.meetingId, now);
    if (state.minutes.status !== 'draft') throw new AppError('MINUTES_FINALIZED', 'These minutes are already finalised');
    if (state.status === 'scheduled' || !state.startedAt)
      throw new AppError('MINUTES_EMPTY', 'The meeting has not been held: there is nothing to record');
    if (state.status !== 'ended')
      throw new AppError('MEETING_NOT_ENDED', 'The meeting is still in progress: end it before finalising the minutes');
    if (!document.attendance.present.length)
      throw new AppError('MINUTES_EMPTY', 'Nobody is recorded present: take the attendance before finalising');
    const rendered = await renderMinutes(document, { now });
    const { sha256: hash, size } = await this.store.putBytes(rendered.bytes);
    const version = state.minutes.version;
    const row: VersionRow = {
      id: newId(),
      meetingId: access.meetingId,
      version,
      status: 'final',
      document: JSON.stringify(document),
      signatureBoxes: JSON.stringify(rendered.signatureBoxes),
      pageCount: rendered.pageCount,
      headHash: head.hash,
      headSeq: head.seq,
      finalSha256: hash,
      currentSha256: hash,
      currentSize: size,
      finalizedBy: access.userId,
      finalizedAt: now.toISOString(),
      secretaryId: null,
      secretarySignedAt: null,
      chairId: null,
      chairSignedAt: null,
    };
    const payload: MinutesEventPayloads['minutes.finalize'] = {
      version,
      sha256: hash,
      headHash: head.hash,
      headSeq: head.seq,
      pageCount: rendered.pageCount,
    };
    await this.record(access, 'minutes.finalize', `minutes.finalize:v${version}`, payload, now, (tx, t, event) =>
      insertFinalVersion(tx, t, row, event, head.seq),
    );
    return versionInfo(row);
  }

  /** The CAs a signature may chain to: the administrator's uploads and the signer provider's own. */
  async trustAnchors(): Promise<Uint8Array[]> {
    const own = this.signers.anchors ? await this.signers.anchors().catch(() => []) : [];
    return [...((await this.options.trustedCertificates?.()) ?? []), ...own];
  }

  /** Who signs now, and what: every rule a signature must pass before anything is signed. */
  private async signingContext(access: MeetingAccess) {
    const role: MinutesSignerRole | null = minutesSignerRole(access);
    if (!role) throw new AppError('NOT_A_SIGNER', 'Only the secretary and the chair of this meeting sign its minutes');
    const m = (await this.live.runtime.current(access.meetingId)).minutes;
    if (m.status === 'draft') throw new AppError('MINUTES_NOT_FINAL', 'The minutes must be finalised before they are signed');
    const expected: MinutesStatus = role === 'secretary' ? 'final' : 'signed_secretary';
    if (m.status !== expected) {
      const signed = m.signatures.some((s) => s.role === role);
      if (signed) throw new AppError('ALREADY_SIGNED', 'You have already signed this version of the minutes');
      throw new AppError('SIGNATURE_ORDER', 'The secretary signs the minutes first, then the chair');
    }
    const row = await this.latest(access.meetingId);
    if (row.version !== m.version || row.status !== expected)
      throw new AppError('CONFLICT', 'The minutes changed meanwhile; reload them');
    const [user] = await this.database.read((q, t) =>
      q.select({ fullName: t.users.fullName, username: t.users.username }).from(t.users).where(eq(t.users.id, access.userId)),
    );
    if (!user) throw new AppError('NOT_FOUND', 'User not found');
    const boxes = JSON.parse(row.signatureBoxes) as SignatureBoxes;
    const document = JSON.parse(row.document) as MinutesDocument;
    const before = await this.readBytes(row.currentSha256);
    if (sha256(before) !== row.currentSha256)
      throw new AppError('INTERNAL', 'The stored minutes do not match their recorded hash');
    const image = await this.signatureImages.get(access.userId);
    const placement = {
      box: boxes[role],
      reason: REASON[role],
      location: document.place,
      name: user.fullName,
      ...(image ? { signatureImagePng: image } : {}),
      fieldName: role === 'secretary' ? 'ThuKy' : 'ChuTri',
    };
    return { role, expected, row, user, before, placement };
  }

  private timestamper(): ((signatureValue: Uint8Array) => Promise<Uint8Array>) | undefined {
    const url = this.options.tsaUrl;
    if (!url) return undefined;
    return async (sig) =>
      (await import('../signing/timestamp')).requestTimestamp(sig, { url, timeoutMs: this.options.tsaTimeoutMs });
  }

  sign(access: MeetingAccess, now = new Date()): Promise<MinutesVersionInfo> {
    return this.serial(access.meetingId, async () => {
      const ctx = await this.signingContext(access);
      const signer = await this.signers.signerFor({
        userId: access.userId,
        username: ctx.user.username,
        fullName: ctx.user.fullName,
      });
      const timestamp = this.timestamper();
      let signed: Uint8Array;
      try {
        signed = await signPdf(ctx.before, { signer, ...ctx.placement, signedAt: now, ...(timestamp ? { timestamp } : {}) });
      } catch (err) {
        throw (await signingParts()).signingFailure(err);
      }
      return this.commitSignature(access, ctx, signed, now);
    });
  }

  /**
   * Deferred signing, step 1: the minutes with this signer's placeholder are prepared and stored, and
   * the digest (CMS mode) or the signed attributes for their certificate (raw mode) handed out.
   */
  prepareExternal(access: MeetingAccess, input: { certificateChain?: Uint8Array[] }, now = new Date()) {
    return this.serial(access.meetingId, async () => {
      const ctx = await this.signingContext(access);
      const parts = await signingParts();
      return parts.prepareExternal({
        database: this.database,
        store: this.store,
        access,
        ctx,
        now,
        certificateChain: input.certificateChain,
        anchors: await this.trustAnchors(),
        ttlMs: this.options.externalSigningTtlMs ?? 15 * 60_000,
      });
    });
  }

  /**
   * Deferred signing, step 2: the signer's app returns a CMS (or a raw signature); it is embedded
   * only if it covers exactly the prepared digest, verifies, and its certificate is trusted and valid
   * at the signing time. A refusal changes nothing but the request's last problem.
   */
  completeExternal(
    access: MeetingAccess,
    requestId: string,
    input: { cms?: Uint8Array; signature?: Uint8Array },
    now = new Date(),
  ): Promise<MinutesVersionInfo> {
    return this.serial(access.meetingId, async () => {
      const ctx = await this.signingContext(access);
      const parts = await signingParts();
      const { signed, request } = await parts.completeExternal({
        database: this.database,
        access,
        ctx,
        now,
        requestId,
        input,
        anchors: await this.trustAnchors(),
        timestamp: this.timestamper(),
        readBytes: (hash) => this.readBytes(hash),
      });
      return this.commitSignature(access, ctx, signed, new Date(request.signedAt), (tx, t) =>
        completeSigningRequest(tx, t, request.id),
      );
    });
  }

  /** Stores signed bytes and records `minutes.sign` with the version's new state, in one transaction. */
  private async commitSignature(
    access: MeetingAccess,
    ctx: Awaited<ReturnType<MinutesService['signingContext']>>,
    signed: Uint8Array,
    now: Date,
    alsoInTx?: (tx: Query, t: Tables) => Promise<void>,
  ): Promise<MinutesVersionInfo> {
    const { role, expected, row, user } = ctx;
    const { sha256: hash, size } = await this.store.putBytes(signed);
    const signedAt = now.toISOString();
    const next: MinutesStatus = role === 'secretary' ? 'signed_secretary' : 'signed_all';
    const sig: SignatureUpdate = {
      versionId: row.id,
      role,
      expected,
      previousSha256: row.currentSha256,
      next,
      sha256: hash,
      size,
      userId: access.userId,
      signedAt,
    };
    await this.record(
      access,
      'minutes.sign',
      `minutes.sign:v${row.version}:${role}`,
      { version: row.version, role, signerName: user.fullName, signedAt, sha256: hash },
      now,
      async (tx, t) => {
        await recordSignature(tx, t, sig);
        await alsoInTx?.(tx, t);
      },
    );
    return versionInfo({
      ...row,
      status: next,
      currentSha256: hash,
      currentSize: size,
      ...(role === 'secretary' ? { secretarySignedAt: signedAt } : { chairSignedAt: signedAt }),
    });
  }

  /** A correction: the finalised (or signed) version is kept as superseded; a new draft version opens. */
  revise(access: MeetingAccess, now = new Date()): Promise<{ version: number }> {
    return this.serial(access.meetingId, async () => {
      if (!mayReviseMinutes(access)) throw new AppError('FORBIDDEN', 'Only the secretary opens a new version of the minutes');
      const m = (await this.live.runtime.current(access.meetingId)).minutes;
      if (m.status === 'draft') throw new AppError('MINUTES_NOT_FINAL', 'The minutes are still a draft: edit them directly');
      const version = m.version + 1;
      await this.record(access, 'minutes.revise', `minutes.revise:v${version}`, { version }, now, (tx, t) =>
        supersedeVersion(tx, t, access.meetingId, m.version),
      );
      return { version };
    });
  }

  // ---- internals

  /**
   * Records a minutes.* event with its table changes through the log's one write path for
   * server-made events (LiveService.recordServerEvent: one transaction, memory after the commit,
   * broadcast to the event's audience). The key names the step of this version, so a step is
   * recorded once whatever retries.
   */
  private async record<K extends 'minutes.finalize' | 'minutes.sign' | 'minutes.revise'>(
    access: MeetingAccess,
    type: K,
    key: string,
    payload: MinutesEventPayloads[K],
    now: Date,
    inTx: (tx: Query, t: Tables, event: LiveEvent) => Promise<void>,
  ): Promise<void> {
    const r = await this.live.recordServerEvent(
      { meetingId: access.meetingId, type, actor: access.userId, payload, key, inTx },
      now,
    );
    // the state checks above make a repeat impossible while this service serialises the meeting;
    // if one happens anyway, the caller's table change did not run: say so rather than report success
    if (!r.event) throw new AppError('CONFLICT', 'This step of the minutes was already recorded');
  }

  private async readBytes(hash: string): Promise<Buffer> {
    try {
      return await fs.readFile(this.store.pathFor(hash));
    } catch {
      throw new AppError('INTERNAL', 'The minutes file is missing from the store');
    }
  }

  private serial<T>(meetingId: string, f: () => Promise<T>): Promise<T> {
    return this.queue.run(meetingId, f);
  }
}

class HeadMoved extends Error {}

function draftView(
  access: MeetingAccess,
  { document, outline, state, meeting }: Awaited<ReturnType<MinutesService['build']>>,
  versions: VersionRow[],
): MinutesDraftView {
  const m = state.minutes;
  const ended = state.status === 'ended';
  return {
    meetingId: access.meetingId,
    meetingStatus: meeting.status,
    status: m.status,
    version: m.version,
    fields: Object.fromEntries(Object.entries(m.fields).map(([k, f]) => [k, { text: f.text, version: f.version }])),
    document,
    outline,
    versions: versions.map(versionInfo),
    can: minutesAbilities(access, m.status, ended),
  };
}

// ---- the table changes recorded with each minutes.* event (inside LiveService.recordServerEvent's
// transaction). Issue 14: the async ones are the bodies of the asynchronous `inTx(tx: Query,
// t: Tables, event)` LiveService is getting; the *Sync ones are what runs today (SQLite only).

/** The versions of a meeting's minutes, newest first. */
export function minutesVersionsOf(q: Query, t: Tables, meetingId: string): Promise<VersionRow[]> {
  return q
    .select()
    .from(t.minutesVersions)
    .where(eq(t.minutesVersions.meetingId, meetingId))
    .orderBy(desc(t.minutesVersions.version));
}

/** minutes.finalize: the version row, only if no event landed since the rendered head (else it renders again). */
export async function insertFinalVersion(
  tx: Query,
  t: Tables,
  row: VersionRow,
  event: LiveEvent,
  headSeq: number,
): Promise<void> {
  if (event.seq !== headSeq + 1) throw new HeadMoved();
  await tx.insert(t.minutesVersions).values(row);
}

/** What a signature changes in its version's row. */
export interface SignatureUpdate {
  versionId: string;
  role: MinutesSignerRole;
  /** the status the version must still have (and its bytes `previousSha256`): else it was signed meanwhile */
  expected: VersionRow['status'];
  previousSha256: string;
  next: VersionRow['status'];
  sha256: string;
  size: number;
  userId: string;
  signedAt: string;
}

const signatureSet = (s: SignatureUpdate) =>
  s.role === 'secretary'
    ? { status: s.next, currentSha256: s.sha256, currentSize: s.size, secretaryId: s.userId, secretarySignedAt: s.signedAt }
    : { status: s.next, currentSha256: s.sha256, currentSize: s.size, chairId: s.userId, chairSignedAt: s.signedAt };

/** minutes.sign: the version's new bytes and signer; ALREADY_SIGNED when it moved meanwhile. */
export async function recordSignature(tx: Query, t: Tables, s: SignatureUpdate): Promise<void> {
  const v = t.minutesVersions;
  const changed = await tx
    .update(v)
    .set(signatureSet(s))
    .where(and(eq(v.id, s.versionId), eq(v.status, s.expected), eq(v.currentSha256, s.previousSha256)))
    .returning({ id: v.id });
  if (changed.length !== 1) throw new AppError('ALREADY_SIGNED', 'These minutes were signed meanwhile');
}

/** Deferred signing's request is done once its signature is recorded (same transaction). */
export async function completeSigningRequest(tx: Query, t: Tables, requestId: string): Promise<void> {
  await tx
    .update(t.minutesSigningRequests)
    .set({ status: 'completed', problem: null })
    .where(eq(t.minutesSigningRequests.id, requestId));
}

/** minutes.revise: the finalised (or signed) version is kept, superseded. */
export async function supersedeVersion(tx: Query, t: Tables, meetingId: string, version: number): Promise<void> {
  await tx
    .update(t.minutesVersions)
    .set({ status: 'superseded' })
    .where(and(eq(t.minutesVersions.meetingId, meetingId), eq(t.minutesVersions.version, version)));
}

function versionInfo(r: VersionRow): MinutesVersionInfo {
  return {
    version: r.version,
    status: r.status,
    pageCount: r.pageCount,
    headHash: r.headHash,
    sha256: r.currentSha256,
    finalizedAt: r.finalizedAt,
    secretarySignedAt: r.secretarySignedAt,
    chairSignedAt: r.chairSignedAt,
  };
}

function signatureView(s: VerifiedSignature) {
  return {
    signerName: s.signerName,
    signedAt: s.signedAt ? s.signedAt.toISOString() : null,
    valid: s.valid,
    coversWholeDocument: s.coversWholeDocument,
    ...(s.problem ? { problem: s.problem } : {}),
    subFilter: s.subFilter,
    certificate: s.certificate,
    timestamp: s.timestamp,
    ...(s.trust ? { trust: s.trust } : {}),
  };
}

export type SigningContext = Awaited<ReturnType<MinutesService['signingContext']>>;
