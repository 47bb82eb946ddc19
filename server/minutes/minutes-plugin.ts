// Decorates the app with the minutes service. The internal CA is opened (created the first time)
// under DATA_DIR/ca; its private keys stay there and are never served.
import path from 'node:path';
import fp from 'fastify-plugin';
import type { InternalCa } from '../signing/internal-ca';
import { MinutesService, type SignerProvider } from './minutes-service';

declare module 'fastify' {
  interface FastifyInstance {
    minutes: MinutesService;
    /** signing keys per user (the internal CA today): the minutes and the invitations sign with them */
    signers: SignerProvider;
  }
}

export default fp<{ signers?: SignerProvider }>(async (app, opts) => {
  // Opened at the first signature, not at start: the X.509 and CMS libraries it needs are tens of
  // MB a server that signs nothing should not hold (issue 14 item 1); the key generation it may do
  // the first time (RSA 2048 by default) is well under a second. A failed opening is retried at the next signature.
  const dir = path.join(app.config.dataDir, 'ca');
  const openCa = async () => (await import('../signing/internal-ca')).InternalCa.open(dir);
  let ca: Promise<InternalCa> | null = null;
  const signers: SignerProvider = opts.signers ?? {
    signerFor: async (identity) => {
      try {
        return await (await (ca ??= openCa())).signerFor(identity);
      } catch (err) {
        app.log.error({ err }, 'internal CA could not be opened; trying again');
        ca = openCa();
        return (await ca).signerFor(identity);
      }
    },
  };
  // never leave a key half-written behind a closing server
  app.addHook('onClose', async () => { await ca?.catch(() => undefined); });
  app.decorate('signers', signers);
  app.decorate('minutes', new MinutesService(app.db, app.store, app.live, signers, { defaultPlace: app.config.minutesPlaceName }));
}, { name: 'minutes', dependencies: ['context', 'realtime'] });
