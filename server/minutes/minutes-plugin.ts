// Decorates the app with the minutes service and picks where signing keys come from: a PKCS#11
// token/HSM when PKCS11_MODULE is configured (each signer's key found by label), else the internal CA,
// opened (created the first time) under DATA_DIR/ca, whose private keys stay there and are never
// served. Trusted CAs for verification: the administrator's uploads, plus the internal CA's own
// certificate when it signs.
import fs from 'node:fs';
import path from 'node:path';
import fp from 'fastify-plugin';
import { AppError } from '../errors';
import type { InternalCa } from '../signing/internal-ca';
import type { Pkcs11Token } from '../signing/pkcs11-signer';
import { trustedDers } from '../services/trusted-certificates';
import { MinutesService, type SignerProvider } from './minutes-service';

declare module 'fastify' {
  interface FastifyInstance {
    minutes: MinutesService;
    /** signing keys per user (the internal CA today): the minutes and the invitations sign with them */
    signers: SignerProvider;
  }
}

export default fp<{ signers?: SignerProvider }>(
  async (app, opts) => {
    const signing = app.config.signing;
    const closers: (() => Promise<unknown>)[] = [];
    let signers: SignerProvider;
    if (opts.signers) {
      signers = opts.signers;
    } else if (signing.pkcs11) {
      // The token is opened at the first signature; a failed opening (token unplugged) is retried then.
      const p11 = signing.pkcs11;
      let token: Promise<Pkcs11Token> | null = null;
      const open = async () => (await import('../signing/pkcs11-signer')).Pkcs11Token.open(p11);
      signers = {
        signerFor: async ({ userId, username }) => {
          let t: Pkcs11Token;
          try {
            t = await (token ??= open());
          } catch (err) {
            token = null;
            app.log.error({ err }, 'PKCS#11 token could not be opened');
            throw new AppError('SIGNING_UNAVAILABLE', 'The signing token could not be opened; tell the administrator');
          }
          const label = p11.keyLabel.replaceAll('{username}', username).replaceAll('{userId}', userId);
          const signer = t.signerFor(label);
          if (!signer)
            throw new AppError(
              'SIGNING_KEY_MISSING',
              'The signing token holds no key for you; sign with your own token (deferred signing) or ask the administrator',
            );
          return signer;
        },
      };
      closers.push(async () => (await token?.catch(() => null))?.close());
    } else {
      // Opened at the first signature, not at start: the X.509 and CMS libraries it needs are tens of
      // MB a server that signs nothing should not hold (issue 14 item 1); the key generation it may do
      // the first time (RSA 2048 by default) is well under a second. A failed opening is retried at the next signature.
      const dir = path.join(app.config.dataDir, 'ca');
      const openCa = async () => (await import('../signing/internal-ca')).InternalCa.open(dir);
      let ca: Promise<InternalCa> | null = null;
      signers = {
        signerFor: async (identity) => {
          try {
            return await (await (ca ??= openCa())).signerFor(identity);
          } catch (err) {
            app.log.error({ err }, 'internal CA could not be opened; trying again');
            ca = openCa();
            return (await ca).signerFor(identity);
          }
        },
        // read, never created, for a verification: no CA yet means nothing it signed
        anchors: async () => {
          try {
            const pem = await fs.promises.readFile(path.join(dir, 'ca.cert.pem'), 'utf8');
            return [new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'))];
          } catch {
            return [];
          }
        },
      };
      // never leave a key half-written behind a closing server
      closers.push(async () => {
        await ca?.catch(() => undefined);
      });
    }
    app.addHook('onClose', async () => {
      for (const close of closers) await close();
    });
    // the same keys sign other documents the server issues (invitations)
    app.decorate('signers', signers);
    app.decorate(
      'minutes',
      new MinutesService(app.database, app.store, app.live, signers, {
        defaultPlace: app.config.minutesPlaceName,
        ...(signing.tsaUrl ? { tsaUrl: signing.tsaUrl } : {}),
        tsaTimeoutMs: signing.tsaTimeoutMs,
        externalSigningTtlMs: signing.externalSigningTtlMs,
        trustedCertificates: () => app.database.read((q, t) => trustedDers(q, t)),
      }),
    );
  },
  { name: 'minutes', dependencies: ['context', 'realtime'] },
);
