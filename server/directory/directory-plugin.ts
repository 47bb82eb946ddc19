// The configured directory (LDAP_URL) as `app.directory`, the OpenID Connect provider (OIDC_ISSUER)
// as `app.oidc`, and their periodic re-check (OIDC: services/oidc-accounts.ts, refresh tokens): every
// DIRECTORY_RECHECK_SECONDS this process asks the directory about the LDAP accounts that hold live
// sessions; a disabled or deleted one loses them (database, so every process's HTTP refuses it at
// once) and its sockets here end with 'account-disabled' (other processes' sockets at their own
// session re-check, LIVE_SESSION_RECHECK_SECONDS). Each process runs the check: nothing lives only
// in one process's memory.
import fp from 'fastify-plugin';
import { LdapDirectory } from './ldap-directory';
import { OidcDirectory } from './oidc-client';
import { recheckDirectoryAccounts } from '../services/directory-accounts';
import { recheckOidcSessions } from '../services/oidc-accounts';

declare module 'fastify' {
  interface FastifyInstance {
    /** null: no directory configured (local accounts only) */
    directory: LdapDirectory | null;
    /** null: no OpenID Connect provider configured (OIDC_ISSUER) */
    oidc: OidcDirectory | null;
    /** runs the re-check now (the timer calls it; tests call it to not wait) */
    recheckDirectory: () => Promise<void>;
  }
}

export default fp(
  async (app) => {
    const directory = app.config.ldap ? new LdapDirectory(app.config.ldap) : null;
    app.decorate('directory', directory);
    // nothing is fetched nor openid-client loaded until the first OIDC sign-in (or re-check)
    const oidc = app.config.oidc ? new OidcDirectory(app.config.oidc) : null;
    app.decorate('oidc', oidc);
    // one check at a time, and at most one waiting: a slow directory must not pile up checks, and a
    // caller (the timer, a test) always gets a check that STARTS after its call
    let running: Promise<void> | null = null;
    let queued: Promise<void> | null = null;
    const recheck = async () => {
      if (oidc) {
        // OIDC: the provider is asked with each session's refresh token; a refusal ends the account's sessions
        const o = await recheckOidcSessions(app.database, oidc, app.config.directoryRecheckMs);
        if (o.unavailable) app.log.warn('OIDC re-check: the provider did not answer; its sessions kept until it does');
        for (const id of o.disabled) {
          app.log.info(
            { audit: 'directory.disabled', userId: id, provider: 'oidc' },
            'OIDC provider refused the account: its sessions ended',
          );
          app.revocation.userEnded(id, 'account-disabled');
        }
        for (const id of o.changed) app.revocation.userChanged(id);
      }
      if (!directory) return;
      const r = await recheckDirectoryAccounts(app.database, directory);
      if (r.unavailable) app.log.warn('directory re-check: the directory did not answer; directory sessions kept until it does');
      for (const id of r.disabled) {
        app.log.info({ audit: 'directory.disabled', userId: id }, 'directory account disabled or gone: its sessions ended');
        app.revocation.userEnded(id, 'account-disabled');
      }
      for (const id of r.changed) app.revocation.userChanged(id);
    };
    const start = (): Promise<void> => {
      running = recheck()
        .catch((err) => app.log.error({ err }, 'directory re-check failed'))
        .finally(() => {
          running = null;
        });
      return running;
    };
    app.decorate('recheckDirectory', () => {
      if (!running) return start();
      queued ??= running.then(() => {
        queued = null;
        return start();
      });
      return queued;
    });
    if (directory || oidc) {
      const timer = setInterval(() => void app.recheckDirectory(), app.config.directoryRecheckMs);
      timer.unref();
      app.addHook('preClose', async () => {
        clearInterval(timer);
        await running;
      });
    }
  },
  { name: 'directory', dependencies: ['context', 'realtime'] },
);
