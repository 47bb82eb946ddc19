// All configuration comes from the environment, read once. Limits are configuration (docs/design-notes.md, Public contract).
import path from 'node:path';
import { defaultClientDist } from './locate';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… selects PostgreSQL (server/db/open-store.ts); unset: SQLite in dataDir */
  databaseUrl: string | undefined;
  /** redis://…: several processes share broadcasts, ink and presence through Redis (realtime/redis-fanout.ts) */
  redisUrl: string | undefined;
  production: boolean;
  /** addresses of reverse proxies (nginx) whose X-Forwarded-For is believed; false: none */
  trustProxy: string | false;
  /** seed the demo meeting into an empty database (never in production) */
  seedDemo: boolean;
  sessionTtlHours: number;
  maxUploadBytes: number;
  maxPdfPages: number;
  /** time a PDF may take to open on the server before it is refused */
  pdfInspectTimeoutMs: number;
  pdfInspectMemoryMb: number;
  /** a PDF bigger than this many bytes, or longer than this many pages, gets a web-optimized copy for viewing */
  pdfWebCopyMinBytes: number;
  pdfWebCopyMinPages: number;
  /** time the copy may take; on timeout (or any failure) the original is served */
  pdfWebCopyTimeoutMs: number;
  loginRateLimitPerMinute: number;
  clientDistDir: string;
  logLevel: string;
  /** a reconnecting client further behind than this many events gets a snapshot instead */
  liveCatchUpMaxEvents: number;
  /** commands per second per socket (token bucket), and the burst it may spend at once */
  liveCommandsPerSecond: number;
  liveCommandBurst: number;
  /** largest Socket.IO message accepted (maxHttpBufferSize) */
  liveMaxMessageBytes: number;
  /** presence broadcasts per meeting are at most this often */
  livePresenceIntervalMs: number;
  /** check-in QR tokens: validity window; the previous window is accepted too */
  checkInWindowSeconds: number;
  roomTokenTtlHours: number;
  /** annotations: points in one stroke, committed strokes per second per user (and burst), note length */
  annotationMaxPoints: number;
  annotationStrokesPerSecond: number;
  annotationStrokeBurst: number;
  annotationMaxNoteLength: number;
  /** what one person may store on one document: marks, and points over all of them */
  annotationMaxStrokesPerDocument: number;
  annotationMaxPointsPerDocument: number;
  /** annotated exports: at once per person (more: 429 EXPORT_BUSY), and the time one may take */
  exportsPerUser: number;
  exportTimeoutMs: number;
  /** heap limit of an export worker */
  exportMemoryMb: number;
  /** live ink batches (ink.progress) per second per socket; excess is dropped */
  inkProgressPerSecond: number;
  /**
   * how stale an open socket's session/membership may be for ink and event delivery: each socket is
   * re-checked against the database at most (and at least) this often; commands check every time
   */
  liveSessionRecheckMs: number;
  /** the place (địa danh) the minutes print before their date unless the secretary writes one; empty: dots to fill in */
  minutesPlaceName: string;
  /** extract, after start, the page text of documents stored without it (TEXT_BACKFILL=0: only at upload) */
  textBackfill: boolean;
  /** task owners are notified this many days before a task's deadline (services/task-reminders.ts) */
  taskReminderDays: number;
  /** how often due reminders are looked for */
  taskReminderPollMs: number;
  /** e-mail notifications (server/notifications): smtp://user:pass@host:port; unset: the e-mail channel is off */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** the address people open the app at, for links in e-mails */
  publicUrl: string;
  /** the outbox is polled this often; a failed send waits base·2^(n-1) ms, at most max, for at most maxAttempts tries */
  mailPollMs: number;
  mailRetryBaseMs: number;
  mailRetryMaxMs: number;
  mailMaxAttempts: number;
}

const num = (v: string | undefined, d: number) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : d);

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const production = env.NODE_ENV === 'production';
  return {
    port: num(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    production,
    trustProxy: env.TRUST_PROXY ? env.TRUST_PROXY : false,
    seedDemo: !production && env.SEED_DEMO !== '0',
    sessionTtlHours: num(env.SESSION_TTL_HOURS, 12),
    maxUploadBytes: num(env.MAX_UPLOAD_MB, 100) * 1024 * 1024,
    maxPdfPages: num(env.MAX_PDF_PAGES, 5000),
    pdfInspectTimeoutMs: num(env.PDF_INSPECT_TIMEOUT_MS, 20000),
    pdfInspectMemoryMb: num(env.PDF_INSPECT_MEMORY_MB, 512),
    pdfWebCopyMinBytes: num(env.PDF_WEB_COPY_MIN_MB, 2) * 1024 * 1024,
    pdfWebCopyMinPages: num(env.PDF_WEB_COPY_MIN_PAGES, 50),
    pdfWebCopyTimeoutMs: num(env.PDF_WEB_COPY_TIMEOUT_MS, 60000),
    loginRateLimitPerMinute: num(env.LOGIN_RATE_LIMIT, 20),
    clientDistDir: env.CLIENT_DIST ? path.resolve(env.CLIENT_DIST) : defaultClientDist,
    logLevel: env.LOG_LEVEL ?? (production ? 'info' : 'info'),
    liveCatchUpMaxEvents: num(env.LIVE_CATCHUP_MAX_EVENTS, 2000),
    liveCommandsPerSecond: num(env.LIVE_COMMANDS_PER_SECOND, 30),
    liveCommandBurst: num(env.LIVE_COMMAND_BURST, 90),
    liveMaxMessageBytes: num(env.LIVE_MAX_MESSAGE_KB, 256) * 1024,
    livePresenceIntervalMs: num(env.LIVE_PRESENCE_INTERVAL_MS, 250),
    checkInWindowSeconds: num(env.CHECKIN_WINDOW_SECONDS, 60),
    roomTokenTtlHours: num(env.ROOM_TOKEN_TTL_HOURS, 24),
    annotationMaxPoints: num(env.ANNOTATION_MAX_POINTS, 5000),
    annotationStrokesPerSecond: num(env.ANNOTATION_STROKES_PER_SECOND, 10),
    annotationStrokeBurst: num(env.ANNOTATION_STROKE_BURST, 30),
    annotationMaxNoteLength: num(env.ANNOTATION_MAX_NOTE_LENGTH, 2000),
    annotationMaxStrokesPerDocument: num(env.ANNOTATION_MAX_STROKES_PER_DOCUMENT, 5000),
    annotationMaxPointsPerDocument: num(env.ANNOTATION_MAX_POINTS_PER_DOCUMENT, 250_000),
    exportsPerUser: num(env.EXPORTS_PER_USER, 2),
    exportTimeoutMs: num(env.EXPORT_TIMEOUT_MS, 120_000),
    exportMemoryMb: num(env.EXPORT_MEMORY_MB, 1024),
    inkProgressPerSecond: num(env.INK_PROGRESS_PER_SECOND, 90),
    liveSessionRecheckMs: num(env.LIVE_SESSION_RECHECK_SECONDS, 5) * 1000,
    minutesPlaceName: (env.MINUTES_PLACE_NAME ?? '').trim().slice(0, 100),
    textBackfill: env.TEXT_BACKFILL !== '0',
    taskReminderDays: num(env.TASK_REMINDER_DAYS, 2),
    taskReminderPollMs: num(env.TASK_REMINDER_POLL_SECONDS, 300) * 1000,
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM || 'Họp Số <no-reply@localhost>',
    publicUrl: env.PUBLIC_URL || `http://localhost:${num(env.PORT, 3000)}`,
    mailPollMs: num(env.MAIL_POLL_MS, 15_000),
    mailRetryBaseMs: num(env.MAIL_RETRY_BASE_MS, 30_000),
    mailRetryMaxMs: num(env.MAIL_RETRY_MAX_MS, 3_600_000),
    mailMaxAttempts: num(env.MAIL_MAX_ATTEMPTS, 10),
    ...overrides,
  };
}
