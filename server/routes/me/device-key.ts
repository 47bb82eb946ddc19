// The key with which the client encrypts what it must keep on the device (today: the voter's own
// secret-ballot receipts, client/src/votes/receipts.ts), so that nothing secret is stored there in
// clear. Derived from the server's secret (DATA_DIR/secrets, live/live-tokens.ts) and the account:
// the same on every sign-in of that account, on any process; never stored in the database; given
// only to a signed-in session of that account. Signed out, the device holds only ciphertext.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createHmac } from 'node:crypto';
import Type from 'typebox';
import { ErrorResponse } from '../../../shared/api';
import { currentUser } from '../../plugins/auth';

const DeviceKeySchema = Type.Object({
  key: Type.String({ description: '32 bytes, base64url: an AES-256-GCM key for data kept on the device' }),
});

const deviceKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/me/device-key',
    {
      schema: {
        tags: ['me'],
        summary: 'The key for encrypting what the client keeps on the device (vote receipts)',
        response: { 200: DeviceKeySchema, 401: ErrorResponse },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const key = createHmac('sha256', app.live.tokens.derivedKey('device-storage')).update(user.id).digest('base64url');
      reply.header('Cache-Control', 'no-store');
      return { key };
    },
  );
};
export default deviceKeyRoutes;
