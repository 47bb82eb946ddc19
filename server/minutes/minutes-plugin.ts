// Decorates the app with the minutes service. The internal CA is opened (created on the very first
// start) under DATA_DIR/ca; its private keys stay there and are never served.
import path from 'node:path';
import fp from 'fastify-plugin';
import { InternalCa } from '../signing/internal-ca';
import { MinutesService, type SignerProvider } from './minutes-service';

declare module 'fastify' {
  interface FastifyInstance {
    minutes: MinutesService;
  }
}

export default fp<{ signers?: SignerProvider }>(async (app, opts) => {
  // Created at start (key generation takes a moment, so the server does not wait for it); the
  // first signature waits if it must, and a failed creation is retried then.
  const dir = path.join(app.config.dataDir, 'ca');
  let ca: Promise<InternalCa> | null = opts.signers ? null : InternalCa.open(dir);
  ca?.catch((err: unknown) => app.log.error({ err }, 'internal CA could not be opened'));
  const signers: SignerProvider = opts.signers ?? {
    signerFor: async (identity) => {
      try {
        return await (await ca!).signerFor(identity);
      } catch {
        ca = InternalCa.open(dir);
        return (await ca).signerFor(identity);
      }
    },
  };
  // never leave a key half-written behind a closing server
  app.addHook('onClose', async () => { await ca?.catch(() => undefined); });
  app.decorate('minutes', new MinutesService(app.db, app.store, app.live, signers, { defaultPlace: app.config.minutesPlaceName }));
}, { name: 'minutes', dependencies: ['context', 'realtime'] });
