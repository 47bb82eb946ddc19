// Every environment variable the server reads, with its type, range, default and meaning: one
// TypeBox schema, checked by env-schema (Ajv) at start. A bad value stops the server with the
// variable's name and what is wrong, instead of silently becoming the default. An empty value is
// the same as an unset one. docs/configuration.md is generated from this file
// (`npm run docs:config`; tests/unit/config-schema.test.ts checks it is current).
// Rules between variables (LDAP_URL needs LDAP_USER_BASE, …) are server/config.ts configProblems.
import Type, { type Static } from 'typebox';

const int = (def: number | undefined, min: number, description: string, max?: number) =>
  Type.Integer({
    minimum: min,
    ...(max !== undefined ? { maximum: max } : {}),
    ...(def !== undefined ? { default: def } : {}),
    description,
  });
/** a positive number (fractions allowed: seconds, megabytes, rates) */
const positive = (def: number, description: string) => Type.Number({ exclusiveMinimum: 0, default: def, description });
const str = (description: string, def?: string, extra: { pattern?: string; maxLength?: number; minLength?: number } = {}) =>
  Type.String({ ...extra, ...(def !== undefined ? { default: def } : {}), description });
const flag = (def: '0' | '1', description: string) =>
  Type.Union([Type.Literal('0'), Type.Literal('1')], { default: def, description });
const opt = Type.Optional;

/** The groups the documentation lists the variables under, in order. */
export const CONFIG_GROUPS: Array<{ title: string; prefix: RegExp }> = [
  {
    title: 'Server',
    prefix:
      /^(NODE_ENV|PORT|HOST|DATA_DIR|DATABASE_URL|REDIS_URL|TRUST_PROXY|SEED_DEMO|CLIENT_DIST|LOG_LEVEL|PUBLIC_URL|FONT_DIR|METRICS_TOKEN|SESSION_TTL_HOURS|LOGIN_RATE_LIMIT)$/,
  },
  { title: 'Documents and PDFs', prefix: /^(MAX_|PDF_|TEXT_BACKFILL|EXPORT|READ_FLUSH)/ },
  { title: 'Live meeting', prefix: /^(LIVE_|CHECKIN_|ROOM_|ANNOTATION_|INK_)/ },
  { title: 'Minutes, signing and timestamps', prefix: /^(MINUTES_|PKCS11_|TSA_|EXTERNAL_SIGNING)/ },
  { title: 'Directory sign-in (LDAP / Active Directory)', prefix: /^(LDAP_|DIRECTORY_)/ },
  { title: 'Single sign-on (OpenID Connect)', prefix: /^OIDC_/ },
  { title: 'Notifications and tasks', prefix: /^(SMTP_|MAIL_|TASK_|OPINION_)/ },
];

export const ConfigEnv = Type.Object({
  NODE_ENV: opt(str('"production" turns off the demo seed and development conveniences; anything else is development')),
  PORT: int(3000, 0, 'HTTP port to listen on (0: any free port)', 65535),
  HOST: str('address to listen on', '0.0.0.0'),
  DATA_DIR: str('the SQLite file, stored documents and keys live here', './data'),
  DATABASE_URL: opt(str('postgres://… selects PostgreSQL; unset: SQLite in DATA_DIR')),
  REDIS_URL: opt(
    str('redis://…: several processes share broadcasts, ink and presence through Redis', undefined, { pattern: '^rediss?://' }),
  ),
  TRUST_PROXY: opt(str('addresses of the reverse proxies whose X-Forwarded-For is believed (e.g. 127.0.0.1); unset: none')),
  SEED_DEMO: flag('1', '1: seed the demo meeting into an empty database (never in production); 0: do not'),
  CLIENT_DIST: opt(str('the built web client to serve; unset: dist/client beside the server')),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', description: 'log level (pino)' },
  ),
  PUBLIC_URL: opt(
    str('the address people open the app at, for links in e-mails; unset: http://localhost:PORT', undefined, {
      pattern: '^https?://',
    }),
  ),
  FONT_DIR: opt(
    str('a folder with Tinos-*.ttf for the PDFs the server makes; unset: Debian fonts-croscore, else the bundled Noto Serif'),
  ),
  METRICS_TOKEN: opt(
    str('GET /metrics answers only "Authorization: Bearer <this>" (at least 16 characters); unset: /metrics is off'),
  ),
  SESSION_TTL_HOURS: positive(12, 'a session lasts this long after sign-in'),
  LOGIN_RATE_LIMIT: int(20, 1, 'sign-in attempts per minute per address'),

  MAX_UPLOAD_MB: positive(100, 'largest PDF accepted'),
  MAX_PDF_PAGES: int(5000, 1, 'longest PDF accepted, in pages'),
  PDF_INSPECT_TIMEOUT_MS: int(20000, 1, 'time a PDF may take to open on the server before it is refused'),
  PDF_INSPECT_MEMORY_MB: int(512, 16, 'heap limit of a PDF worker'),
  PDF_WEB_COPY_MIN_MB: Type.Number({
    minimum: 0,
    default: 2,
    description: 'a PDF at least this big gets a web-optimized copy for viewing',
  }),
  PDF_WEB_COPY_MIN_PAGES: int(50, 1, 'a PDF at least this long gets a web-optimized copy'),
  PDF_WEB_COPY_TIMEOUT_MS: int(60000, 1, 'time the copy may take; on timeout (or any failure) the original is served'),
  TEXT_BACKFILL: flag('1', '1: extract, after start, the page text of documents stored without it; 0: only at upload'),
  EXPORTS_PER_USER: int(2, 1, 'annotated exports at once per person (more: 429 EXPORT_BUSY)'),
  EXPORT_TIMEOUT_MS: int(120000, 1, 'time one annotated export may take'),
  EXPORT_MEMORY_MB: int(1024, 16, 'heap limit of an export worker'),
  READ_FLUSH_SECONDS: positive(10, 'reading progress is written at most this often'),

  LIVE_CATCHUP_MAX_EVENTS: int(2000, 0, 'a reconnecting client further behind than this many events gets a snapshot instead'),
  LIVE_RECENT_EVENTS_MB: int(
    32,
    0,
    "megabytes of each process's memory holding meetings' latest events, so a reconnecting client is caught up without reading the log (0: always read)",
  ),
  LIVE_COMMANDS_PER_SECOND: positive(30, 'commands per second per socket (token bucket)'),
  LIVE_COMMAND_BURST: int(90, 1, 'commands a socket may send at once'),
  LIVE_MAX_MESSAGE_KB: int(256, 1, 'largest Socket.IO message accepted'),
  LIVE_PRESENCE_INTERVAL_MS: int(250, 0, 'presence broadcasts per meeting are at most this often'),
  LIVE_SESSION_RECHECK_SECONDS: positive(
    5,
    "how stale an open socket's session and membership may be for ink and event delivery",
  ),
  CHECKIN_WINDOW_SECONDS: int(60, 1, 'check-in QR tokens are valid this long (the previous window too)'),
  ROOM_TOKEN_TTL_HOURS: positive(24, 'a room screen token lasts this long'),
  ANNOTATION_MAX_POINTS: int(5000, 2, 'points in one stroke'),
  ANNOTATION_STROKES_PER_SECOND: positive(10, 'committed strokes per second per person'),
  ANNOTATION_STROKE_BURST: int(30, 1, 'strokes a person may commit at once'),
  ANNOTATION_MAX_NOTE_LENGTH: int(2000, 1, 'characters in one note'),
  ANNOTATION_MAX_STROKES_PER_DOCUMENT: int(5000, 1, 'marks one person may store on one document'),
  ANNOTATION_MAX_POINTS_PER_DOCUMENT: int(250000, 1, 'points over all of one person’s marks on one document'),
  INK_PROGRESS_PER_SECOND: positive(90, 'live ink batches per second per socket; excess is dropped'),

  MINUTES_PLACE_NAME: str(
    'the place (địa danh) the minutes print before their date unless the secretary writes one; empty: dots to fill in',
    '',
    { maxLength: 100 },
  ),
  PKCS11_MODULE: opt(str('a PKCS#11 module (HSM or token) that holds the signing keys; unset: the internal CA signs')),
  PKCS11_PIN: opt(str('the token PIN (or PKCS11_PIN_FILE)')),
  PKCS11_PIN_FILE: opt(str('a file whose first line is the token PIN')),
  PKCS11_TOKEN_LABEL: opt(str('the token to use, by label')),
  PKCS11_SLOT_INDEX: opt(int(undefined, 0, 'the token to use, by slot index')),
  PKCS11_KEY_LABEL: str("CKA_LABEL of each signer's key: {username} and {userId} are replaced", '{username}'),
  PKCS11_CHAIN_FILE: opt(str('PEM with the issuing CA certificates, when the token holds only the signer’s own')),
  TSA_URL: opt(
    str('RFC 3161 timestamp authority: every server-made signature gets a timestamp', undefined, { pattern: '^https?://' }),
  ),
  TSA_TIMEOUT_MS: int(15000, 1, 'time the timestamp authority may take'),
  EXTERNAL_SIGNING_TTL_MINUTES: positive(15, "how long a prepared deferred signature waits for the signer's app"),

  LDAP_URL: opt(str('ldap://host[:port] or ldaps://host[:port]; unset: directory sign-in is off')),
  LDAP_BIND_DN: str('the service account that searches (empty: anonymous search)', ''),
  LDAP_BIND_PASSWORD: str('its password (required with LDAP_BIND_DN)', ''),
  LDAP_USER_BASE: str('where users are searched (subtree), e.g. ou=people,dc=example,dc=vn; required with LDAP_URL', ''),
  LDAP_USERNAME_ATTRIBUTE: str('the attribute a person types as username: uid (OpenLDAP) or sAMAccountName (AD)', 'uid'),
  LDAP_USER_FILTER: str('extra condition an enabled account meets', '(objectClass=person)'),
  LDAP_FULL_NAME_ATTRIBUTE: str('attribute holding the full name', 'cn'),
  LDAP_UNIT_ATTRIBUTE: str('attribute holding the unit', 'ou'),
  LDAP_POSITION_ATTRIBUTE: str('attribute holding the position', 'title'),
  LDAP_MAIL_ATTRIBUTE: str('attribute holding the e-mail address (notifications are sent to it)', 'mail'),
  LDAP_ADMIN_GROUP_DN: str('members of this group are administrators; empty: no mapping', ''),
  LDAP_ORGANISER_GROUP_DN: str('members of this group are organisers; empty: no mapping', ''),
  LDAP_TIMEOUT_MS: int(5000, 1, 'connect/operation time limit'),
  OIDC_ISSUER: opt(str("the provider's issuer URL (https; http only on loopback); unset: OpenID Connect sign-in is off")),
  OIDC_CLIENT_ID: str("this app's client id at the provider (required with OIDC_ISSUER)", ''),
  OIDC_CLIENT_SECRET: str('its client secret (confidential client)', ''),
  OIDC_REDIRECT_URL: opt(
    str('the callback registered at the provider; unset: PUBLIC_URL/api/auth/oidc/callback', undefined, {
      pattern: '^https?://',
    }),
  ),
  OIDC_POST_LOGOUT_REDIRECT_URL: str('where the provider sends the browser after its logout (empty: the provider decides)', ''),
  OIDC_SCOPES: str('scopes asked for (offline_access gives the refresh token the re-check uses)', 'openid profile email'),
  OIDC_LABEL: str("the button's name on the login page", 'OpenID Connect', { maxLength: 60 }),
  OIDC_USERNAME_CLAIM: str('claim holding the username', 'preferred_username'),
  OIDC_FULL_NAME_CLAIM: str('claim holding the full name', 'name'),
  OIDC_UNIT_CLAIM: str('claim holding the unit', 'unit'),
  OIDC_POSITION_CLAIM: str('claim holding the position', 'position'),
  OIDC_EMAIL_CLAIM: str('claim holding the e-mail address', 'email'),
  OIDC_GROUPS_CLAIM: str('claim holding the groups', 'groups'),
  OIDC_ADMIN_GROUP: str('members of this group are administrators; empty: no mapping', ''),
  OIDC_ORGANISER_GROUP: str('members of this group are organisers; empty: no mapping', ''),
  OIDC_TIMEOUT_MS: int(5000, 1, 'time limit of a request to the provider'),
  DIRECTORY_RECHECK_SECONDS: positive(
    60,
    'how often sessions of directory accounts are checked against the directory (at least 1)',
  ),

  SMTP_URL: opt(
    str('smtp://user:pass@host:port for e-mail notifications; unset: the e-mail channel is off', undefined, {
      pattern: '^smtps?://',
    }),
  ),
  MAIL_FROM: str('the sender of e-mail notifications', 'Họp Số <no-reply@localhost>'),
  MAIL_POLL_MS: int(15000, 1, 'the outbox is polled this often'),
  MAIL_RETRY_BASE_MS: int(30000, 1, 'a failed send waits base·2^(n-1) ms'),
  MAIL_RETRY_MAX_MS: int(3600000, 1, '… at most this long'),
  MAIL_MAX_ATTEMPTS: int(10, 1, '… for at most this many tries'),
  TASK_REMINDER_DAYS: int(2, 0, 'task owners are notified this many days before the deadline'),
  OPINION_REMINDER_POLL_SECONDS: Type.Number({
    minimum: 0,
    default: 60,
    description: 'how often written-opinion reminders are looked for (0: never)',
  }),
  TASK_REMINDER_POLL_SECONDS: Type.Number({
    minimum: 0,
    default: 300,
    description: 'how often due reminders are looked for (0: never)',
  }),
});

export type ConfigEnv = Static<typeof ConfigEnv>;
