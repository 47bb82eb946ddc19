// The PostgreSQL mirror of schema.ts (DATABASE_URL=postgres://…): the same tables, columns, keys,
// indexes and foreign keys under the same names, so one set of rules reads both. Generated from
// schema.ts's text at first and kept equal by tests/unit/schema-parity.test.ts (it fails on any
// drift). Deliberate type differences, all with the same meaning:
// - booleans are `boolean` here, `integer` 0/1 (Drizzle's boolean mode) in SQLite;
// - `real` (annotation width) is `double precision` here: SQLite's REAL is an 8-byte double.
// Ids stay text and timestamps ISO text, as in SQLite (the hash chain hashes those exact strings).
// secret_ballots has no WITHOUT ROWID here: PostgreSQL rows carry no rowid, but they do carry
// xmin/ctid; docs/scale-out.md says what that means for ballot secrecy.
import {
  pgTable,
  text,
  integer,
  boolean,
  doublePrecision,
  primaryKey,
  index,
  uniqueIndex,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    fullName: text('full_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    isAdmin: boolean('is_admin').notNull().default(false),
    /** granted by an administrator: may create meetings (and becomes an officer of the meetings it creates) */
    isOrganiser: boolean('is_organiser').notNull().default(false),
    /** display settings kept per person, not per device (issue 19): larger UI text, high contrast */
    uiLargeText: boolean('ui_large_text').notNull().default(false),
    /** where e-mail notifications go (server/notifications); null: in-app only */
    email: text('email'),
    uiHighContrast: boolean('ui_high_contrast').notNull().default(false),
    /** no longer read or written (login throttling lives in login_throttles) */
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: text('locked_until'),
    createdAt: text('created_at').notNull(),
    /** where the account signs in: 'local' (its password here) or a directory ('ldap', 'oidc') that decides */
    authSource: text('auth_source', { enum: ['local', 'ldap', 'oidc'] })
      .notNull()
      .default('local'),
    /** the directory's own id for the account (LDAP DN; OIDC issuer + subject); null for local accounts */
    externalId: text('external_id'),
    /** đơn vị and chức vụ, printed under the name in the minutes' member list and signature blocks */
    unit: text('unit'),
    position: text('position'),
    /** OpenID Connect: the provider's `sub` for this account (external_id is issuer + ' ' + sub) */
    oidcSubject: text('oidc_subject'),
  },
  (t) => [uniqueIndex('users_username_idx').on(t.username), uniqueIndex('users_external_idx').on(t.authSource, t.externalId)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** sha256 of the cookie token: a stolen database does not yield live sessions */
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    /** sessions opened by OpenID Connect: the ID token (id_token_hint of RP-initiated logout), the
     *  refresh token the re-check asks the provider with (disabled account → refused), and when a
     *  process last asked (one process per interval: a rotated refresh token is used once) */
    oidcIdToken: text('oidc_id_token'),
    oidcRefreshToken: text('oidc_refresh_token'),
    oidcCheckedAt: text('oidc_checked_at'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** OpenID Connect sign-ins under way: state, nonce and PKCE verifier between /start and /callback,
 *  in the database (not one process's memory) so any process can answer the callback; the row's id
 *  is the sha256 of a cookie given to the browser that started, and a row is used once. */
export const oidcLogins = pgTable(
  'oidc_logins',
  {
    id: text('id').primaryKey(),
    state: text('state').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('oidc_logins_created_idx').on(t.createdAt)],
);

export const meetings = pgTable('meetings', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  kind: text('kind', { enum: ['regular', 'briefing', 'thematic', 'extraordinary'] })
    .notNull()
    .default('regular'),
  status: text('status', { enum: ['scheduled', 'running', 'paused', 'ended'] })
    .notNull()
    .default('scheduled'),
  startsAt: text('starts_at'),
  location: text('location'),
  organization: text('organization'),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const meetingMembers = pgTable(
  'meeting_members',
  {
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['chair', 'secretary', 'participant', 'guest', 'observer'] }).notNull(),
    addedAt: text('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.userId] }), index('members_user_idx').on(t.userId)],
);

export const agendaItems = pgTable(
  'agenda_items',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    title: text('title').notNull(),
    presenterId: text('presenter_id').references(() => users.id, { onDelete: 'set null' }),
    durationMinutes: integer('duration_minutes'),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('agenda_meeting_idx').on(t.meetingId, t.position)],
);

/** A document as uploaded to one meeting. The bytes live on disk, content-addressed by sha256. */
export const documents = pgTable(
  'documents',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    title: text('title'),
    pageCount: integer('page_count').notNull(),
    size: integer('size').notNull(),
    /** the web-optimized copy served for viewing (server/pdf/web-copy.ts), if one was made */
    webSha256: text('web_sha256'),
    webSize: integer('web_size'),
    /** page 1 draws from the web copy's first that many bytes: the viewer fetches them up front (send-document-file.ts) */
    webFirstPageBytes: integer('web_first_page_bytes'),
    /** the web copy as a background job (services/web-copy-jobs.ts): null = none wanted (small file, or a row from
     * before: then web_sha256 says whether one exists); 'pending' = to make (resumed after a restart);
     * 'ready' = made (web_sha256 set); 'failed' = not made, the original is served, never retried */
    webState: text('web_state', { enum: ['pending', 'ready', 'failed'] }),
    /** why the web copy failed (timeout, worker error): for the logs and the organiser */
    webError: text('web_error'),
    /** which process is making the pending web copy, and since when (services/web-copy-jobs.ts): several processes
     * on one database each run the queue; a claim older than the copy's timeout allows is a dead process's, taken over */
    webClaimedBy: text('web_claimed_by'),
    /** ISO time the claim was taken */
    webClaimedAt: text('web_claimed_at'),
    /** set when the upload opened but looks damaged (server/pdf/inspect-pdf.ts): shown to the organiser, never refused */
    warning: text('warning', { enum: ['blank-first-page'] }),
    /** tài liệu mật: null = ordinary; else its level (shared/confidential.ts). Members then get only a
     * copy with their personal watermark (server/services/confidential-copies.ts), never the original */
    confidentiality: text('confidentiality', { enum: ['mat', 'toi-mat', 'tuyet-mat'] }),
    /** a confidential document the office lets members keep on their device to read offline (their watermarked copy); ordinary documents always may be */
    offlineAllowed: boolean('offline_allowed').notNull().default(false),
    /** each page's text (document_page_texts): null until extracted (at upload, or the backfill of older rows); 'failed' is not retried */
    textState: text('text_state', { enum: ['done', 'failed'] }),
    /** circulated to the members at this time (ngày gửi; who did it is in the audit trail); null: a draft only the officers see (services/document-publication.ts) */
    publishedAt: text('published_at'),
    /** 1, 2, … (dự thảo lần 2): a new version is a document of its own, so marks on the old one stay on it */
    version: integer('version').notNull().default(1),
    previousVersionId: text('previous_version_id').references((): AnyPgColumn => documents.id, { onDelete: 'set null' }),
    uploadedBy: text('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('documents_meeting_idx').on(t.meetingId), index('documents_sha_idx').on(t.sha256)],
);

/** Each page's text as pdf.js reads it (server/pdf/extract-text.ts): what search indexes and version comparison compares. */
export const documentPageTexts = pgTable(
  'document_page_texts',
  {
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    /** 1-based, as people count pages */
    page: integer('page').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.page] })],
);

/**
 * How far each member read each document (services/read-tracking.ts): the pages they viewed, kept in
 * memory from the socket and written in batches, never once per page turn.
 */
export const documentReads = pgTable(
  'document_reads',
  {
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** JSON array of the 1-based page numbers viewed, ascending */
    pages: text('pages').notNull(),
    pagesViewed: integer('pages_viewed').notNull(),
    firstOpenedAt: text('first_opened_at').notNull(),
    lastReadAt: text('last_read_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.documentId, t.userId] })],
);

export const agendaItemDocuments = pgTable(
  'agenda_item_documents',
  {
    agendaItemId: text('agenda_item_id')
      .notNull()
      .references(() => agendaItems.id, { onDelete: 'cascade' }),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agendaItemId, t.documentId] })],
);

/**
 * The live meeting's record (DESIGN.md "The live meeting is an event log"): one row per accepted
 * command, hash-chained per meeting. `payload` is canonical JSON text, exactly what was hashed.
 */
export const meetingEvents = pgTable(
  'meeting_events',
  {
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    actor: text('actor').notNull(),
    payload: text('payload').notNull(),
    at: text('at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.seq] })],
);

/** Client command ids already accepted, so a retried command returns its first result. */
export const meetingCommands = pgTable(
  'meeting_commands',
  {
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    commandId: text('command_id').notNull(),
    actor: text('actor').notNull(),
    seq: integer('seq').notNull(),
  },
  (t) => [uniqueIndex('meeting_commands_key_idx').on(t.meetingId, t.actor, t.commandId)],
);

/**
 * Annotation marks as they stand now, one row per stroke, written in the same transaction as the
 * stroke.* event that changes it (the log stays the record; this is what reads and exports use
 * without replaying the log). `points` is JSON [[x, y, pressure], ...] in PDF user space.
 */
export const annotationStrokes = pgTable(
  'annotation_strokes',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id, { onDelete: 'cascade' }),
    page: integer('page').notNull(),
    authorId: text('author_id').notNull(),
    layer: text('layer', { enum: ['private', 'shared', 'presenter'] }).notNull(),
    tool: text('tool', { enum: ['pen', 'highlighter', 'note'] }).notNull(),
    color: text('color').notNull(),
    width: doublePrecision('width').notNull(),
    points: text('points').notNull(),
    text: text('text'),
    /** erased or undone: kept so undo/redo can bring it back */
    removed: boolean('removed').notNull().default(false),
    seq: integer('seq').notNull(),
    at: text('at').notNull(),
  },
  (t) => [index('annotation_strokes_doc_idx').on(t.documentId, t.page), index('annotation_strokes_meeting_idx').on(t.meetingId)],
);

/**
 * Votes as the log made them (vote.* events), for reads that should not replay the log (minutes,
 * REST). `receiptKey`: a secret vote's per-vote receipt key, sealed under a key kept in DATA_DIR
 * (server/live/vote-receipts.ts); set when the vote opens and erased in the transaction that closes
 * it, so after the close nothing left can pair a voter with a receipt.
 */
export const votes = pgTable(
  'votes',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    itemId: text('item_id').references(() => agendaItems.id, { onDelete: 'set null' }),
    question: text('question').notNull(),
    /** JSON [{ id, label }] */
    choices: text('choices').notNull(),
    secret: boolean('secret').notNull(),
    /** JSON VoteRule (shared/vote-rules.ts) */
    rule: text('rule').notNull(),
    status: text('status', { enum: ['draft', 'open', 'closed'] }).notNull(),
    receiptKey: text('receipt_key'),
    /** JSON VoteResult, at close */
    result: text('result'),
    createdAt: text('created_at').notNull(),
    openedAt: text('opened_at'),
    closedAt: text('closed_at'),
    /**
     * PostgreSQL: when the rewrite that took this closed secret vote's old key out of the table
     * files was made (server/db/scrub-pg.ts); null on a closed secret vote = still owed, and a
     * process starting makes it. SQLite leaves it null: its scrub, a WAL checkpoint, runs at every start.
     */
    filesScrubbedAt: text('files_scrubbed_at'),
  },
  (t) => [index('votes_meeting_idx').on(t.meetingId)],
);

/**
 * "Has voted": one row per member whose vote is cast (by them, or by their proxy holder). Public
 * information, and the database's guarantee of one ballot per member per vote. Never a choice.
 */
export const voteParticipations = pgTable(
  'vote_participations',
  {
    voteId: text('vote_id')
      .notNull()
      .references(() => votes.id, { onDelete: 'cascade' }),
    memberId: text('member_id').notNull(),
    castBy: text('cast_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.memberId] })],
);

/**
 * A secret vote's ballots: a receipt code and a choice, nothing else: no voter, no time, no
 * sequence. (SQLite stores them WITHOUT ROWID; PostgreSQL has no rowid, see the header.)
 */
export const secretBallots = pgTable(
  'secret_ballots',
  {
    voteId: text('vote_id')
      .notNull()
      .references(() => votes.id, { onDelete: 'cascade' }),
    receipt: text('receipt').notNull(),
    choiceId: text('choice_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.receipt] })],
);

/**
 * A secret vote's ballots while it is open, sealed (server/live/vote-ballot-box.ts); published into
 * secret_ballots in receipt order at close. On PostgreSQL the heap keeps insertion order and xmin:
 * only the seal protects these rows (what else the close must do here: the comment in vote-ballot-box.ts).
 */
export const sealedBallots = pgTable(
  'sealed_ballots',
  {
    voteId: text('vote_id')
      .notNull()
      .references(() => votes.id, { onDelete: 'cascade' }),
    id: text('id').notNull(),
    sealed: text('sealed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.id] })],
);

/**
 * One row per finalised version of a meeting's minutes (biên bản). The PDF bytes live in the
 * content-addressed store: `finalSha256` is the unsigned file, `currentSha256` the latest bytes (after
 * each signature, an incremental update of the previous ones). `document` is the MinutesDocument JSON
 * the PDF was rendered from; `headHash`/`headSeq` the event-log head it records.
 */
export const minutesVersions = pgTable(
  'minutes_versions',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    status: text('status', { enum: ['final', 'signed_secretary', 'signed_all', 'superseded'] }).notNull(),
    document: text('document').notNull(),
    /** JSON SignatureBoxes: where each visible signature goes */
    signatureBoxes: text('signature_boxes').notNull(),
    pageCount: integer('page_count').notNull(),
    headHash: text('head_hash').notNull(),
    headSeq: integer('head_seq').notNull(),
    finalSha256: text('final_sha256').notNull(),
    currentSha256: text('current_sha256').notNull(),
    currentSize: integer('current_size').notNull(),
    finalizedBy: text('finalized_by').notNull(),
    finalizedAt: text('finalized_at').notNull(),
    secretaryId: text('secretary_id'),
    secretarySignedAt: text('secretary_signed_at'),
    chairId: text('chair_id'),
    chairSignedAt: text('chair_signed_at'),
  },
  (t) => [uniqueIndex('minutes_versions_meeting_version_idx').on(t.meetingId, t.version)],
);

/**
 * A deferred (external) signature in progress: the minutes prepared with their signature placeholder
 * (stored by hash in the document store), the digest handed to the signer's own signing app, and, in
 * the raw-signature mode, the signed attributes built for their certificate. Completed or not, the
 * minutes change only when a CMS that checks out is embedded (MinutesService.completeExternal).
 */
export const minutesSigningRequests = pgTable(
  'minutes_signing_requests',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    role: text('role', { enum: ['secretary', 'chair'] }).notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** the minutes bytes (by hash) the placeholder was added to: they must still be current */
    baseSha256: text('base_sha256').notNull(),
    /** the prepared bytes (by hash), byte range filled, /Contents zeros */
    preparedSha256: text('prepared_sha256').notNull(),
    /** JSON [a, b, c, d] */
    byteRange: text('byte_range').notNull(),
    /** hex SHA-256 of the bytes the byte range covers */
    digest: text('digest').notNull(),
    /** raw mode: base64 DER of the signed attributes (SET) and JSON base64 DER certificates; null in CMS mode */
    signedAttributes: text('signed_attributes'),
    certificateChain: text('certificate_chain'),
    signedAt: text('signed_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    status: text('status', { enum: ['pending', 'completed', 'refused', 'cancelled'] }).notNull(),
    /** the last refusal's code, for the signer's screen and the audit */
    problem: text('problem'),
  },
  (t) => [index('minutes_signing_requests_meeting_idx').on(t.meetingId)],
);

/** CA certificates the administrator trusts for signatures (roots or intermediates), DER as base64. */
export const trustedCertificates = pgTable(
  'trusted_certificates',
  {
    id: text('id').primaryKey(),
    /** hex SHA-256 of the DER: one row per certificate */
    sha256: text('sha256').notNull(),
    subject: text('subject').notNull(),
    notBefore: text('not_before').notNull(),
    notAfter: text('not_after').notNull(),
    derBase64: text('der_base64').notNull(),
    addedBy: text('added_by'),
    addedAt: text('added_at').notNull(),
  },
  (t) => [uniqueIndex('trusted_certificates_sha256_idx').on(t.sha256)],
);

/** A user's handwritten signature (blue, transparent PNG) for the visible mark of their signatures. */
export const signatureImages = pgTable('signature_images', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** base64 of the PNG bytes (portable to PostgreSQL as text) */
  pngBase64: text('png_base64').notNull(),
  width: integer('width').notNull(),
  height: integer('height').notNull(),
  updatedAt: text('updated_at').notNull(),
});

/**
 * Audit trail (ATTT cấp độ 3): every administrative write over HTTP and every refused command,
 * who/what/when. Successful meeting commands are already on the hash-chained event log.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: text('at').notNull(),
    actorId: text('actor_id'),
    /** the username at the time (kept even if the account is deleted later) */
    actorName: text('actor_name'),
    action: text('action').notNull(),
    meetingId: text('meeting_id'),
    outcome: text('outcome', { enum: ['ok', 'refused'] }).notNull(),
    code: text('code'),
    /** request address, route or command type, target ids; never bodies, passwords or tokens */
    details: text('details').notNull().default('{}'),
  },
  (t) => [index('audit_at_idx').on(t.at), index('audit_meeting_idx').on(t.meetingId, t.at)],
);

/** Login throttling (server/services/login-throttle.ts): counters per (account, address), address, account. */
export const loginThrottles = pgTable(
  'login_throttles',
  {
    key: text('key').primaryKey(),
    kind: text('kind', { enum: ['pair', 'source', 'account', 'trusted'] }).notNull(),
    account: text('account'),
    source: text('source'),
    failures: integer('failures').notNull().default(0),
    blockedUntil: text('blocked_until'),
    /** after this the row counts as gone (counters start again); purged lazily */
    expiresAt: text('expires_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('login_throttles_expires_idx').on(t.expiresAt)],
);

/**
 * In-app notifications (server/notifications/notification-service.ts): one row per recipient. The
 * text is not stored: `kind` + `params` (JSON) are rendered by the client in the reader's language.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    meetingId: text('meeting_id').references(() => meetings.id, { onDelete: 'cascade' }),
    params: text('params').notNull().default('{}'),
    /** an in-app path (/meetings/…), never an outside address */
    link: text('link').notNull(),
    createdAt: text('created_at').notNull(),
    readAt: text('read_at'),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt), index('notifications_unread_idx').on(t.userId, t.readAt)],
);

/**
 * E-mails waiting to go out (server/notifications/mail-outbox.ts): queued in the same transaction as
 * what caused them, sent by a poller with retries and growing delays, so an SMTP server that is down
 * blocks nothing and a restart loses nothing. `lockedUntil`: a sender (any process) claimed the row.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at').notNull(),
    lockedUntil: text('locked_until'),
    lastError: text('last_error'),
    createdAt: text('created_at').notNull(),
    sentAt: text('sent_at'),
  },
  (t) => [index('mail_outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

/**
 * One row per issued version of a meeting's giấy mời (server/invitations): version 1 is the
 * invitation, 2… change notices. The signed PDF lives in the content-addressed store; `document` is
 * the InvitationDocument JSON it was rendered from. `invitation.issue` on the log carries the hash.
 */
export const invitations = pgTable(
  'invitations',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    number: text('number').notNull(),
    title: text('title').notNull(),
    startsAt: text('starts_at').notNull(),
    location: text('location').notNull(),
    document: text('document').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    pageCount: integer('page_count').notNull(),
    issuedBy: text('issued_by').references(() => users.id, { onDelete: 'set null' }),
    issuedAt: text('issued_at').notNull(),
  },
  (t) => [uniqueIndex('invitations_meeting_version_idx').on(t.meetingId, t.version)],
);

/**
 * A person's calendar feed (server/invitations/calendar.ts): the secret in the feed URL, kept only as
 * its sha256 (like sessions). One per user; rotating replaces it, revoking deletes it.
 */
export const calendarFeeds = pgTable(
  'calendar_feeds',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: text('created_at').notNull(),
  },
  (t) => [uniqueIndex('calendar_feeds_user_idx').on(t.userId)],
);
/** The vote-counting minutes (biên bản kiểm phiếu) of a closed election: see schema.ts. */
export const countingReports = pgTable(
  'counting_reports',
  {
    voteId: text('vote_id')
      .primaryKey()
      .references(() => votes.id, { onDelete: 'cascade' }),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    committee: text('committee').notNull(),
    document: text('document').notNull(),
    signatureBoxes: text('signature_boxes').notNull(),
    pageCount: integer('page_count').notNull(),
    finalSha256: text('final_sha256').notNull(),
    currentSha256: text('current_sha256').notNull(),
    currentSize: integer('current_size').notNull(),
    signatures: text('signatures').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('counting_reports_meeting_idx').on(t.meetingId)],
);

/**
 * Written opinions (lấy ý kiến bằng văn bản, server/opinions/): a request the office sends to some
 * members of a meeting, with questions (JSON [{ id, text }]), attached documents (JSON ids), a
 * deadline and a vote rule (JSON). Closed at the deadline (computed on every read: a restart loses
 * nothing) or when every member asked has signed; `result` JSON, `reportSha256` the signed báo cáo
 * tổng hợp ý kiến in the content-addressed store.
 */
export const opinionRequests = pgTable(
  'opinion_requests',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    documentIds: text('document_ids').notNull(),
    questions: text('questions').notNull(),
    deadline: text('deadline').notNull(),
    rule: text('rule').notNull(),
    status: text('status', { enum: ['open', 'closed'] }).notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    closedAt: text('closed_at'),
    result: text('result'),
    reportSha256: text('report_sha256'),
    /** when the reminder before the deadline went to those who had not signed */
    reminderSentAt: text('reminder_sent_at'),
    /** a named request (phiếu ghi danh): signed answers are seen, with names, before the result */
    named: boolean('named').notNull().default(false),
  },
  (t) => [index('opinion_requests_meeting_idx').on(t.meetingId)],
);

/** Who is asked. */
export const opinionRecipients = pgTable(
  'opinion_recipients',
  {
    requestId: text('request_id')
      .notNull()
      .references(() => opinionRequests.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.userId] })],
);

/**
 * A member's answers (JSON [{ questionId, choice, text? }]). Saving clears the signature: only
 * signed answers count. `signedSha256`: the member's signed answer sheet (phiếu lấy ý kiến) PDF.
 */
export const opinionResponses = pgTable(
  'opinion_responses',
  {
    requestId: text('request_id')
      .notNull()
      .references(() => opinionRequests.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    answers: text('answers').notNull(),
    updatedAt: text('updated_at').notNull(),
    signedAt: text('signed_at'),
    signedSha256: text('signed_sha256'),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.userId] })],
);

/**
 * Tasks (nhiệm vụ) from the conclusions of a meeting's minutes (issue 16 item 3): who carries it out
 * (a member, and/or a unit named in text), by when, and how far it is. `status` is what the owner
 * reported; "overdue" (quá hạn) is not stored: it is computed from `deadline` (services/tasks.ts).
 * `conclusionKey` is the minutes field the conclusion is in ('conclusions' or 'item:<id>:conclusion').
 * `remindedAt`: the owner was notified that the deadline is near (once).
 */
export const tasks = pgTable(
  'tasks',
  {
    id: text('id').primaryKey(),
    meetingId: text('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    conclusionKey: text('conclusion_key').notNull(),
    title: text('title').notNull(),
    ownerId: text('owner_id').references(() => users.id, { onDelete: 'set null' }),
    ownerUnit: text('owner_unit'),
    /** YYYY-MM-DD, the last day (Vietnam time) */
    deadline: text('deadline').notNull(),
    status: text('status', { enum: ['todo', 'in_progress', 'done'] })
      .notNull()
      .default('todo'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    doneAt: text('done_at'),
    remindedAt: text('reminded_at'),
  },
  (t) => [
    index('tasks_meeting_idx').on(t.meetingId),
    index('tasks_owner_idx').on(t.ownerId),
    index('tasks_deadline_idx').on(t.status, t.deadline),
  ],
);

/** An owner's report on a task: text, and the status it moved the task to. */
export const taskReports = pgTable(
  'task_reports',
  {
    id: text('id').primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    status: text('status', { enum: ['todo', 'in_progress', 'done'] }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('task_reports_task_idx').on(t.taskId, t.createdAt)],
);

/** Evidence files of a report (PDF, PNG, JPEG), content-addressed in the document store like documents. */
export const taskEvidence = pgTable(
  'task_evidence',
  {
    id: text('id').primaryKey(),
    reportId: text('report_id')
      .notNull()
      .references(() => taskReports.id, { onDelete: 'cascade' }),
    taskId: text('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    sha256: text('sha256').notNull(),
    filename: text('filename').notNull(),
    mime: text('mime', { enum: ['application/pdf', 'image/png', 'image/jpeg'] }).notNull(),
    size: integer('size').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('task_evidence_task_idx').on(t.taskId)],
);
