// Decorates the app with the minutes service. The internal CA is opened (created on the very first
// start) under DATA_DIR/ca; its private keys stay there and are never served.
import path from 'node:path';
import fp from 'fastify-plugin';
import { InternalCa } from '../signing/internal-ca';
import { broadcast } from '../realtime/handlers';
import { MinutesService, type SignerProvider } from './minutes-service';

declare module 'fastify' {
  interface FastifyInstance {
    minutes: MinutesService;
  }
}

export default fp<{ signers?: SignerProvider }>(async (app, opts) => {
  const ca = opts.signers ? null : await InternalCa.open(path.join(app.config.dataDir, 'ca'));
  const signers: SignerProvider = opts.signers ?? { signerFor: (identity) => ca!.signerFor(identity) };
  app.decorate('minutes', new MinutesService(app.db, app.store, app.live, signers, (event, audience) => broadcast(app.io, event, audience)));
}, { name: 'minutes', dependencies: ['context', 'realtime'] });
