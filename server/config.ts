// All configuration comes from the environment, read once. Limits are configuration (docs/design-notes.md, Public contract).
import fs from 'node:fs';
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
  /**
   * The live protocol this server speaks (default shared/events PROTOCOL_VERSION). Never from the
   * environment: tests set it to play a server newer than the client a service worker kept.
   */
  protocolVersion?: number;
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
  /** GET /metrics answers only `Authorization: Bearer <this>`; unset: /metrics is off (404) */
  metricsToken: string | undefined;
  /** LDAP / Active Directory sign-in (server/directory/); undefined: not configured */
  ldap: LdapConfig | undefined;
  /** OpenID Connect sign-in (server/directory/oidc-*.ts); undefined: not configured */
  oidc: OidcConfig | undefined;
  /** how often sessions of directory accounts are checked against the directory (disabled → ended) */
  directoryRecheckMs: number;
  /** official signing keys (docs/design-notes.md): where server-made signatures get their keys and timestamps */
  signing: SigningConfig;
  /** extract, after start, the page text of documents stored without it (TEXT_BACKFILL=0: only at upload) */
  textBackfill: boolean;
  /** reading progress gathered from the sockets is written at most this often (one transaction) */
  readFlushMs: number;
  /** task owners are notified this many days before a task's deadline (services/task-reminders.ts) */
  taskReminderDays: number;
  /** how often due reminders are looked for (0: never) */
  taskReminderPollMs: number;
  /** how often written-opinion requests are looked at for reminders before their deadline (0: never) */
  opinionReminderPollMs: number;
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

export interface SigningConfig {
  /** a PKCS#11 module (HSM or token attached to the server); unset: the internal CA signs */
  pkcs11?: {
    modulePath: string;
    tokenLabel?: string;
    slotIndex?: number;
    /** from PKCS11_PIN, or the first line of PKCS11_PIN_FILE (read at start) */
    pin: string;
    /** CKA_LABEL of each signer's key: {username} and {userId} are replaced */
    keyLabel: string;
    /** PEM with the issuing CA certificates, when the token holds only the signer's own */
    chainFile?: string;
  };
  /** RFC 3161 TSA: every server-made signature gets a timestamp (PAdES B-T) */
  tsaUrl?: string;
  tsaTimeoutMs: number;
  /** how long a prepared deferred signature waits for the signer's app */
  externalSigningTtlMs: number;
}

function signingConfig(env: NodeJS.ProcessEnv): SigningConfig {
  const modulePath = env.PKCS11_MODULE?.trim();
  let pkcs11: SigningConfig['pkcs11'];
  if (modulePath) {
    const pin = env.PKCS11_PIN ?? (env.PKCS11_PIN_FILE ? fs.readFileSync(env.PKCS11_PIN_FILE, 'utf8').split(/\r?\n/)[0] : undefined);
    if (!pin) throw new Error('PKCS11_MODULE is set: set PKCS11_PIN or PKCS11_PIN_FILE too');
    pkcs11 = {
      modulePath, pin,
      ...(env.PKCS11_TOKEN_LABEL ? { tokenLabel: env.PKCS11_TOKEN_LABEL } : {}),
      ...(env.PKCS11_SLOT_INDEX ? { slotIndex: num(env.PKCS11_SLOT_INDEX, 0) } : {}),
      keyLabel: env.PKCS11_KEY_LABEL || '{username}',
      ...(env.PKCS11_CHAIN_FILE ? { chainFile: env.PKCS11_CHAIN_FILE } : {}),
    };
  }
  return {
    ...(pkcs11 ? { pkcs11 } : {}),
    ...(env.TSA_URL ? { tsaUrl: env.TSA_URL } : {}),
    tsaTimeoutMs: num(env.TSA_TIMEOUT_MS, 15_000),
    externalSigningTtlMs: num(env.EXTERNAL_SIGNING_TTL_MINUTES, 15) * 60_000,
  };
}

export interface LdapConfig {
  /** ldap://host:389 or ldaps://host:636 */
  url: string;
  /** the service account that searches for users and groups (empty: anonymous search) */
  bindDn: string;
  bindPassword: string;
  /** where users are searched (subtree) */
  userBase: string;
  /** the attribute a person types as username: uid (OpenLDAP) or sAMAccountName (AD) */
  usernameAttribute: string;
  /** extra condition an ENABLED account meets, ANDed to the username match; an account it no longer matches is disabled */
  userFilter: string;
  fullNameAttribute: string;
  unitAttribute: string;
  positionAttribute: string;
  /** where the person's e-mail address is read (users.email; notifications use it) */
  mailAttribute: string;
  /** groups (DNs) whose members are administrators / organisers; empty: no mapping */
  adminGroupDn: string;
  organiserGroupDn: string;
  /** connect/operation time limit: a directory that does not answer fails fast */
  timeoutMs: number;
}

export interface OidcConfig {
  /** the provider's issuer URL (its /.well-known/openid-configuration is read on first use) */
  issuer: string;
  clientId: string;
  /** empty: a public client (PKCE alone) */
  clientSecret: string;
  /** this app's callback, as registered at the provider: https://host/api/auth/oidc/callback */
  redirectUrl: string;
  /** where the provider sends the browser after RP-initiated logout; empty: the app's /login */
  postLogoutRedirectUrl: string;
  /** space-separated; add offline_access to get the refresh token the disabled-account re-check uses */
  scopes: string;
  /** what the login button says: "Đăng nhập bằng <label>" / "Sign in with <label>" */
  label: string;
  /** claim names: username, full name, đơn vị, chức vụ, e-mail, groups */
  usernameClaim: string;
  fullNameClaim: string;
  unitClaim: string;
  positionClaim: string;
  emailClaim: string;
  groupsClaim: string;
  /** a value in the groups claim that makes the account administrator / organiser; empty: no mapping */
  adminGroup: string;
  organiserGroup: string;
  timeoutMs: number;
}

/** A configuration the server cannot start with: main.ts prints the message, no stack trace. */
export class ConfigError extends Error {}

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
    signing: signingConfig(env),
    metricsToken: env.METRICS_TOKEN || undefined,
    ldap: env.LDAP_URL ? {
      url: env.LDAP_URL,
      bindDn: env.LDAP_BIND_DN ?? '',
      bindPassword: env.LDAP_BIND_PASSWORD ?? '',
      userBase: env.LDAP_USER_BASE ?? '',
      usernameAttribute: env.LDAP_USERNAME_ATTRIBUTE || 'uid',
      userFilter: env.LDAP_USER_FILTER || '(objectClass=person)',
      fullNameAttribute: env.LDAP_FULL_NAME_ATTRIBUTE || 'cn',
      unitAttribute: env.LDAP_UNIT_ATTRIBUTE || 'ou',
      positionAttribute: env.LDAP_POSITION_ATTRIBUTE || 'title',
      mailAttribute: env.LDAP_MAIL_ATTRIBUTE || 'mail',
      adminGroupDn: env.LDAP_ADMIN_GROUP_DN ?? '',
      organiserGroupDn: env.LDAP_ORGANISER_GROUP_DN ?? '',
      timeoutMs: num(env.LDAP_TIMEOUT_MS, 5000),
    } : undefined,
    oidc: env.OIDC_ISSUER ? {
      issuer: env.OIDC_ISSUER,
      clientId: env.OIDC_CLIENT_ID ?? '',
      clientSecret: env.OIDC_CLIENT_SECRET ?? '',
      redirectUrl: env.OIDC_REDIRECT_URL || `${(env.PUBLIC_URL || `http://localhost:${num(env.PORT, 3000)}`).replace(/\/$/, '')}/api/auth/oidc/callback`,
      postLogoutRedirectUrl: env.OIDC_POST_LOGOUT_REDIRECT_URL ?? '',
      scopes: env.OIDC_SCOPES || 'openid profile email',
      label: (env.OIDC_LABEL || 'OpenID Connect').slice(0, 60),
      usernameClaim: env.OIDC_USERNAME_CLAIM || 'preferred_username',
      fullNameClaim: env.OIDC_FULL_NAME_CLAIM || 'name',
      unitClaim: env.OIDC_UNIT_CLAIM || 'unit',
      positionClaim: env.OIDC_POSITION_CLAIM || 'position',
      emailClaim: env.OIDC_EMAIL_CLAIM || 'email',
      groupsClaim: env.OIDC_GROUPS_CLAIM || 'groups',
      adminGroup: env.OIDC_ADMIN_GROUP ?? '',
      organiserGroup: env.OIDC_ORGANISER_GROUP ?? '',
      timeoutMs: num(env.OIDC_TIMEOUT_MS, 5000),
    } : undefined,
    directoryRecheckMs: num(env.DIRECTORY_RECHECK_SECONDS, 60) * 1000,
    textBackfill: env.TEXT_BACKFILL !== '0',
    readFlushMs: num(env.READ_FLUSH_SECONDS, 10) * 1000,
    taskReminderDays: num(env.TASK_REMINDER_DAYS, 2),
    taskReminderPollMs: num(env.TASK_REMINDER_POLL_SECONDS, 300) * 1000,
    opinionReminderPollMs: num(env.OPINION_REMINDER_POLL_SECONDS, 60) * 1000,
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

/**
 * What is wrong with a configuration, checked once at start (buildApp) so a mistake is one clear
 * line rather than a failure at the first sign-in or scrape.
 */
export function configProblems(c: Config): string[] {
  const p: string[] = [];
  if (c.metricsToken !== undefined && c.metricsToken.length < 16) p.push('METRICS_TOKEN must be at least 16 characters (it guards /metrics)');
  if (c.ldap) {
    const l = c.ldap;
    if (!/^ldaps?:\/\/[^\s/]+/.test(l.url)) p.push(`LDAP_URL must be ldap://host[:port] or ldaps://host[:port] (got "${l.url}")`);
    if (!l.userBase) p.push('LDAP_USER_BASE is required with LDAP_URL (where users are searched, e.g. ou=people,dc=example,dc=vn)');
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(l.usernameAttribute)) p.push('LDAP_USERNAME_ATTRIBUTE must be an attribute name (uid, sAMAccountName)');
    for (const [name, v] of [['LDAP_FULL_NAME_ATTRIBUTE', l.fullNameAttribute], ['LDAP_UNIT_ATTRIBUTE', l.unitAttribute], ['LDAP_POSITION_ATTRIBUTE', l.positionAttribute], ['LDAP_MAIL_ATTRIBUTE', l.mailAttribute]] as const) {
      if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(v)) p.push(`${name} must be an attribute name`);
    }
    if (!/^\(.*\)$/.test(l.userFilter)) p.push('LDAP_USER_FILTER must be an LDAP filter in parentheses, e.g. (objectClass=person)');
    if (l.bindDn && !l.bindPassword) p.push('LDAP_BIND_PASSWORD is required with LDAP_BIND_DN');
  }
  if (c.oidc) {
    const o = c.oidc;
    const url = (v: string) => { try { return new URL(v); } catch { return null; } };
    // plain http only to a provider on this machine (tests, a local Keycloak): tokens cross it
    const loopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
    const iss = url(o.issuer);
    if (!iss || !(iss.protocol === 'https:' || (iss.protocol === 'http:' && loopback(iss)))) p.push(`OIDC_ISSUER must be an https:// URL (http:// only on loopback) (got "${o.issuer}")`);
    if (!o.clientId) p.push('OIDC_CLIENT_ID is required with OIDC_ISSUER');
    const cb = url(o.redirectUrl);
    if (!cb || !/^https?:$/.test(cb.protocol)) p.push(`OIDC_REDIRECT_URL must be this app's http(s) callback URL (got "${o.redirectUrl}")`);
    if (o.postLogoutRedirectUrl && !url(o.postLogoutRedirectUrl)) p.push('OIDC_POST_LOGOUT_REDIRECT_URL must be a URL');
    if (!o.scopes.split(/\s+/).includes('openid')) p.push('OIDC_SCOPES must include openid');
  }
  if (c.directoryRecheckMs < 1000) p.push('DIRECTORY_RECHECK_SECONDS must be at least 1');
  return p;
}
