// All configuration comes from the environment, read once and checked against one schema
// (config-schema.ts; the list of variables: docs/configuration.md). Limits are configuration
// (docs/design-notes.md, Public contract).
import fs from 'node:fs';
import path from 'node:path';
import envSchema from 'env-schema';
import type { ErrorObject } from 'ajv';
import { ConfigEnv } from './config-schema';
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
  liveRecentEventsMb: number;
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

function signingConfig(env: ConfigEnv): SigningConfig {
  const modulePath = env.PKCS11_MODULE?.trim();
  let pkcs11: SigningConfig['pkcs11'];
  if (modulePath) {
    const pin =
      env.PKCS11_PIN ?? (env.PKCS11_PIN_FILE ? fs.readFileSync(env.PKCS11_PIN_FILE, 'utf8').split(/\r?\n/)[0] : undefined);
    if (!pin) throw new ConfigError('PKCS11_MODULE is set: set PKCS11_PIN or PKCS11_PIN_FILE too');
    pkcs11 = {
      modulePath,
      pin,
      ...(env.PKCS11_TOKEN_LABEL ? { tokenLabel: env.PKCS11_TOKEN_LABEL } : {}),
      ...(env.PKCS11_SLOT_INDEX !== undefined ? { slotIndex: env.PKCS11_SLOT_INDEX } : {}),
      keyLabel: env.PKCS11_KEY_LABEL,
      ...(env.PKCS11_CHAIN_FILE ? { chainFile: env.PKCS11_CHAIN_FILE } : {}),
    };
  }
  return {
    ...(pkcs11 ? { pkcs11 } : {}),
    ...(env.TSA_URL ? { tsaUrl: env.TSA_URL } : {}),
    tsaTimeoutMs: env.TSA_TIMEOUT_MS,
    externalSigningTtlMs: env.EXTERNAL_SIGNING_TTL_MINUTES * 60_000,
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

/**
 * The environment checked against server/config-schema.ts: defaults filled in, numbers converted.
 * ConfigError naming every bad variable and what is wrong with it (a secret's value is not echoed).
 */
export function readEnv(env: NodeJS.ProcessEnv): ConfigEnv {
  // an empty value is an unset one (VAR= in a unit file or compose file)
  const data = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => v !== undefined && v !== '' && k in ConfigEnv.properties),
  );
  try {
    // a copy: env-schema sets additionalProperties on the schema it is given
    return envSchema<ConfigEnv>({ schema: structuredClone(ConfigEnv), data, env: false });
  } catch (e) {
    const errors = (e as { errors?: ErrorObject[] }).errors;
    if (!errors) throw e;
    throw new ConfigError(`invalid configuration: ${envErrors(errors, data).join('; ')}`);
  }
}

const SECRET = /PIN|PASSWORD|TOKEN|_URL$/;

/** One sentence per variable: "PORT must be an integer (got "abc")", "SEED_DEMO must be one of 0, 1 (got "yes")". */
function envErrors(errors: ErrorObject[], data: Record<string, unknown>): string[] {
  const byName = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    const name = e.instancePath.replace(/^\//, '');
    byName.set(name, [...(byName.get(name) ?? []), e]);
  }
  return [...byName].map(([name, es]) => {
    const allowed = es
      .filter((e) => e.keyword === 'const')
      .map((e) => String((e.params as { allowedValue: unknown }).allowedValue));
    const first = es.find((e) => e.keyword !== 'anyOf' && e.keyword !== 'const') ?? es[0]!;
    const what = allowed.length
      ? `must be one of ${allowed.join(', ')}`
      : first.keyword === 'type'
        ? `must be ${(first.params as { type: string }).type === 'integer' ? 'a whole number' : 'a number'}`
        : // the URL patterns are ^scheme(s)?:// : said as "redis:// or rediss://"
          first.keyword === 'pattern'
          ? `must start with ${(first.params as { pattern: string }).pattern.replace(/^\^(\w+)s\?:\/\/$/, '$1:// or $1s://')}`
          : (first.message ?? 'is invalid');
    const got = SECRET.test(name) ? '' : ` (got ${JSON.stringify(data[name])})`;
    return `${name} ${what}${got}`;
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const e = readEnv(env);
  const production = e.NODE_ENV === 'production';
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    production,
    trustProxy: e.TRUST_PROXY ?? false,
    seedDemo: !production && e.SEED_DEMO === '1',
    sessionTtlHours: e.SESSION_TTL_HOURS,
    maxUploadBytes: e.MAX_UPLOAD_MB * 1024 * 1024,
    maxPdfPages: e.MAX_PDF_PAGES,
    pdfInspectTimeoutMs: e.PDF_INSPECT_TIMEOUT_MS,
    pdfInspectMemoryMb: e.PDF_INSPECT_MEMORY_MB,
    pdfWebCopyMinBytes: e.PDF_WEB_COPY_MIN_MB * 1024 * 1024,
    pdfWebCopyMinPages: e.PDF_WEB_COPY_MIN_PAGES,
    pdfWebCopyTimeoutMs: e.PDF_WEB_COPY_TIMEOUT_MS,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT,
    clientDistDir: e.CLIENT_DIST ? path.resolve(e.CLIENT_DIST) : defaultClientDist,
    logLevel: e.LOG_LEVEL,
    liveCatchUpMaxEvents: e.LIVE_CATCHUP_MAX_EVENTS,
    liveRecentEventsMb: e.LIVE_RECENT_EVENTS_MB,
    liveCommandsPerSecond: e.LIVE_COMMANDS_PER_SECOND,
    liveCommandBurst: e.LIVE_COMMAND_BURST,
    liveMaxMessageBytes: e.LIVE_MAX_MESSAGE_KB * 1024,
    livePresenceIntervalMs: e.LIVE_PRESENCE_INTERVAL_MS,
    checkInWindowSeconds: e.CHECKIN_WINDOW_SECONDS,
    roomTokenTtlHours: e.ROOM_TOKEN_TTL_HOURS,
    annotationMaxPoints: e.ANNOTATION_MAX_POINTS,
    annotationStrokesPerSecond: e.ANNOTATION_STROKES_PER_SECOND,
    annotationStrokeBurst: e.ANNOTATION_STROKE_BURST,
    annotationMaxNoteLength: e.ANNOTATION_MAX_NOTE_LENGTH,
    annotationMaxStrokesPerDocument: e.ANNOTATION_MAX_STROKES_PER_DOCUMENT,
    annotationMaxPointsPerDocument: e.ANNOTATION_MAX_POINTS_PER_DOCUMENT,
    exportsPerUser: e.EXPORTS_PER_USER,
    exportTimeoutMs: e.EXPORT_TIMEOUT_MS,
    exportMemoryMb: e.EXPORT_MEMORY_MB,
    inkProgressPerSecond: e.INK_PROGRESS_PER_SECOND,
    liveSessionRecheckMs: e.LIVE_SESSION_RECHECK_SECONDS * 1000,
    minutesPlaceName: e.MINUTES_PLACE_NAME.trim(),
    signing: signingConfig(e),
    metricsToken: e.METRICS_TOKEN,
    ldap: e.LDAP_URL
      ? {
          url: e.LDAP_URL,
          bindDn: e.LDAP_BIND_DN,
          bindPassword: e.LDAP_BIND_PASSWORD,
          userBase: e.LDAP_USER_BASE,
          usernameAttribute: e.LDAP_USERNAME_ATTRIBUTE,
          userFilter: e.LDAP_USER_FILTER,
          fullNameAttribute: e.LDAP_FULL_NAME_ATTRIBUTE,
          unitAttribute: e.LDAP_UNIT_ATTRIBUTE,
          positionAttribute: e.LDAP_POSITION_ATTRIBUTE,
          mailAttribute: e.LDAP_MAIL_ATTRIBUTE,
          adminGroupDn: e.LDAP_ADMIN_GROUP_DN,
          organiserGroupDn: e.LDAP_ORGANISER_GROUP_DN,
          timeoutMs: e.LDAP_TIMEOUT_MS,
        }
      : undefined,
    oidc: e.OIDC_ISSUER
      ? {
          issuer: e.OIDC_ISSUER,
          clientId: e.OIDC_CLIENT_ID,
          clientSecret: e.OIDC_CLIENT_SECRET,
          redirectUrl:
            e.OIDC_REDIRECT_URL ?? `${(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '')}/api/auth/oidc/callback`,
          postLogoutRedirectUrl: e.OIDC_POST_LOGOUT_REDIRECT_URL,
          scopes: e.OIDC_SCOPES,
          label: e.OIDC_LABEL,
          usernameClaim: e.OIDC_USERNAME_CLAIM,
          fullNameClaim: e.OIDC_FULL_NAME_CLAIM,
          unitClaim: e.OIDC_UNIT_CLAIM,
          positionClaim: e.OIDC_POSITION_CLAIM,
          emailClaim: e.OIDC_EMAIL_CLAIM,
          groupsClaim: e.OIDC_GROUPS_CLAIM,
          adminGroup: e.OIDC_ADMIN_GROUP,
          organiserGroup: e.OIDC_ORGANISER_GROUP,
          timeoutMs: e.OIDC_TIMEOUT_MS,
        }
      : undefined,
    directoryRecheckMs: e.DIRECTORY_RECHECK_SECONDS * 1000,
    textBackfill: e.TEXT_BACKFILL === '1',
    readFlushMs: e.READ_FLUSH_SECONDS * 1000,
    taskReminderDays: e.TASK_REMINDER_DAYS,
    taskReminderPollMs: e.TASK_REMINDER_POLL_SECONDS * 1000,
    opinionReminderPollMs: e.OPINION_REMINDER_POLL_SECONDS * 1000,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    mailPollMs: e.MAIL_POLL_MS,
    mailRetryBaseMs: e.MAIL_RETRY_BASE_MS,
    mailRetryMaxMs: e.MAIL_RETRY_MAX_MS,
    mailMaxAttempts: e.MAIL_MAX_ATTEMPTS,
    ...overrides,
  };
}

/**
 * What is wrong with a configuration, checked once at start (buildApp) so a mistake is one clear
 * line rather than a failure at the first sign-in or scrape.
 */
export function configProblems(c: Config): string[] {
  const p: string[] = [];
  if (c.metricsToken !== undefined && c.metricsToken.length < 16)
    p.push('METRICS_TOKEN must be at least 16 characters (it guards /metrics)');
  if (c.ldap) {
    const l = c.ldap;
    if (!/^ldaps?:\/\/[^\s/]+/.test(l.url)) p.push(`LDAP_URL must be ldap://host[:port] or ldaps://host[:port] (got "${l.url}")`);
    if (!l.userBase)
      p.push('LDAP_USER_BASE is required with LDAP_URL (where users are searched, e.g. ou=people,dc=example,dc=vn)');
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(l.usernameAttribute))
      p.push('LDAP_USERNAME_ATTRIBUTE must be an attribute name (uid, sAMAccountName)');
    for (const [name, v] of [
      ['LDAP_FULL_NAME_ATTRIBUTE', l.fullNameAttribute],
      ['LDAP_UNIT_ATTRIBUTE', l.unitAttribute],
      ['LDAP_POSITION_ATTRIBUTE', l.positionAttribute],
      ['LDAP_MAIL_ATTRIBUTE', l.mailAttribute],
    ] as const) {
      if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(v)) p.push(`${name} must be an attribute name`);
    }
    if (!/^\(.*\)$/.test(l.userFilter))
      p.push('LDAP_USER_FILTER must be an LDAP filter in parentheses, e.g. (objectClass=person)');
    if (l.bindDn && !l.bindPassword) p.push('LDAP_BIND_PASSWORD is required with LDAP_BIND_DN');
  }
  if (c.oidc) {
    const o = c.oidc;
    const url = (v: string) => {
      try {
        return new URL(v);
      } catch {
        return null;
      }
    };
    // plain http only to a provider on this machine (tests, a local Keycloak): tokens cross it
    const loopback = (u: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
    const iss = url(o.issuer);
    if (!iss || !(iss.protocol === 'https:' || (iss.protocol === 'http:' && loopback(iss))))
      p.push(`OIDC_ISSUER must be an https:// URL (http:// only on loopback) (got "${o.issuer}")`);
    if (!o.clientId) p.push('OIDC_CLIENT_ID is required with OIDC_ISSUER');
    const cb = url(o.redirectUrl);
    if (!cb || !/^https?:$/.test(cb.protocol))
      p.push(`OIDC_REDIRECT_URL must be this app's http(s) callback URL (got "${o.redirectUrl}")`);
    if (o.postLogoutRedirectUrl && !url(o.postLogoutRedirectUrl)) p.push('OIDC_POST_LOGOUT_REDIRECT_URL must be a URL');
    if (!o.scopes.split(/\s+/).includes('openid')) p.push('OIDC_SCOPES must include openid');
  }
  if (c.directoryRecheckMs < 1000) p.push('DIRECTORY_RECHECK_SECONDS must be at least 1');
  return p;
}
