// HTTP schemas for administrators' security screens: login throttles (server/services/login-throttle.ts).
import Type from 'typebox';

export const LoginThrottleSchema = Type.Object({
  /** what the counter is keyed on; pass it back (URL-encoded) to lift it */
  key: Type.String(),
  /** pair: one account from one address; source: one address, any account; account: every address together */
  kind: Type.Enum(['pair', 'source', 'account']),
  account: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.String(), Type.Null()]),
  failures: Type.Integer(),
  /** no attempt is checked before this (null: counting, not slowed yet) */
  blockedUntil: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String(),
});
export type LoginThrottle = Type.Static<typeof LoginThrottleSchema>;

export const LoginThrottleList = Type.Object({ throttles: Type.Array(LoginThrottleSchema) });
export type LoginThrottleList = Type.Static<typeof LoginThrottleList>;

/** A throttle key: kind, then the account and/or address (services/login-throttle.ts keys). */
export const LoginThrottleParams = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 200, pattern: '^(pair|source|account):' }),
});

// ---- trusted CA certificates for signatures (official signing keys)

export const TrustedCertificateSchema = Type.Object({
  id: Type.String(),
  sha256: Type.String(),
  subject: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  addedAt: Type.String(),
});
export const TrustedCertificateList = Type.Object({ certificates: Type.Array(TrustedCertificateSchema) });
/** PEM text with one or more CA certificates, or one base64 DER */
export const TrustedCertificateUpload = Type.Object(
  { pem: Type.String({ minLength: 1, maxLength: 200_000 }) },
  { additionalProperties: false },
);
export const TrustedCertificateParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** The administrators' status page (GET /api/admin/status): what runs, who is connected, which versions. */
export const AdminStatusSchema = Type.Object({
  versions: Type.Object({
    app: Type.String(),
    node: Type.String(),
    protocol: Type.Integer(),
    /** migrations applied to the database, and the newest one's name */
    migrations: Type.Integer(),
    latestMigration: Type.String(),
  }),
  /** this process: started at, and its id (several processes each answer for their own sockets) */
  process: Type.Object({ pid: Type.Integer(), startedAt: Type.String() }),
  /** meetings running or paused (database: every process's), with this process's sockets in each */
  liveMeetings: Type.Array(
    Type.Object({
      id: Type.String(),
      title: Type.String(),
      status: Type.Enum(['running', 'paused']),
      sockets: Type.Integer(),
    }),
  ),
  /** people with a socket open to this process (room screens counted apart) */
  connectedUsers: Type.Array(
    Type.Object({
      userId: Type.String(),
      username: Type.String(),
      fullName: Type.String(),
      sockets: Type.Integer(),
    }),
  ),
  roomScreens: Type.Integer(),
  /** what is held right now (database: every process's): login counters that slow sign-in until a
   *  time (lifted on the login throttles page), and deferred minutes signatures waiting for the
   *  signer's app (their placeholder holds the next version of those minutes) */
  locks: Type.Object({
    loginBlocked: Type.Array(
      Type.Object({
        key: Type.String(),
        kind: Type.String(),
        account: Type.Union([Type.String(), Type.Null()]),
        source: Type.Union([Type.String(), Type.Null()]),
        blockedUntil: Type.String(),
      }),
    ),
    pendingSignatures: Type.Array(
      Type.Object({
        id: Type.String(),
        meetingId: Type.String(),
        meetingTitle: Type.String(),
        role: Type.Enum(['secretary', 'chair']),
        signer: Type.String(),
        expiresAt: Type.String(),
      }),
    ),
  }),
});
export type AdminStatus = Type.Static<typeof AdminStatusSchema>;
