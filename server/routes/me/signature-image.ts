// The caller's handwritten signature image (PNG), used in the visible mark of their signatures.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../../shared/api';
import { SignatureImageInfoSchema } from '../../../shared/minutes-api';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import { MAX_SIGNATURE_IMAGE_BYTES } from '../../minutes/signature-images';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 413: ErrorResponse, 415: ErrorResponse };

const signatureImageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addContentTypeParser('image/png', { parseAs: 'buffer', bodyLimit: MAX_SIGNATURE_IMAGE_BYTES }, (_req, body, done) =>
    done(null, body),
  );

  app.put(
    '/api/me/signature-image',
    {
      bodyLimit: MAX_SIGNATURE_IMAGE_BYTES,
      schema: {
        tags: ['me'],
        summary: 'Upload one’s handwritten signature (Content-Type: image/png, transparent, at most 256 KB)',
        response: { 200: SignatureImageInfoSchema, ...errors },
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body))
        throw new AppError('BAD_SIGNATURE_IMAGE', 'Send the PNG as the request body (Content-Type: image/png)');
      const user = currentUser(req);
      const info = await app.minutes.signatureImages.set(user.id, new Uint8Array(req.body));
      req.log.info({ audit: 'signature-image.set', by: user.id }, 'signature image uploaded');
      return info;
    },
  );

  app.get(
    '/api/me/signature-image',
    {
      schema: { tags: ['me'], summary: 'One’s signature image (PNG)', response: errors },
    },
    async (req, reply) => {
      const png = await app.minutes.signatureImages.get(currentUser(req).id);
      if (!png) throw new AppError('NOT_FOUND', 'No signature image uploaded');
      return reply
        .header('Content-Type', 'image/png')
        .header('Cache-Control', 'private, no-cache')
        .send(Buffer.from(png) as never);
    },
  );

  app.delete(
    '/api/me/signature-image',
    {
      schema: { tags: ['me'], summary: 'Remove one’s signature image', response: { 204: { type: 'null' }, ...errors } },
    },
    async (req, reply) => {
      await app.minutes.signatureImages.remove(currentUser(req).id);
      return reply.status(204).send(null);
    },
  );
};
export default signatureImageRoutes;
