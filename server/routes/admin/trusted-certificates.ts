// Administrators choose which certification authorities signatures may chain to (the Government
// CA, licensed CAs): list, upload (PEM, one or more CA certificates), remove. Changes are audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse } from '../../../shared/api';
import { TrustedCertificateList, TrustedCertificateParams, TrustedCertificateUpload } from '../../../shared/admin-api';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import { addTrusted, listTrusted, removeTrusted } from '../../services/trusted-certificates';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const trustedCertificateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = (req: Parameters<typeof currentUser>[0]) => {
    const user = currentUser(req);
    if (!user.isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator manages trusted certification authorities');
    return user;
  };

  app.get(
    '/api/admin/trusted-certificates',
    {
      schema: {
        tags: ['admin'],
        summary: 'CA certificates trusted for signatures (administrators only)',
        response: { 200: TrustedCertificateList, ...errors },
      },
    },
    async (req) => {
      admin(req);
      return { certificates: await app.database.read(listTrusted) };
    },
  );

  app.post(
    '/api/admin/trusted-certificates',
    {
      schema: {
        tags: ['admin'],
        summary: 'Trust CA certificates (PEM, one or more) for signatures (administrators only)',
        body: TrustedCertificateUpload,
        response: { 201: TrustedCertificateList, ...errors },
      },
    },
    async (req, reply) => {
      const user = admin(req);
      // audited in the same transaction as the change (services/trusted-certificates.ts)
      const added = await addTrusted(app.database, req.body.pem, user);
      return reply.status(201).send({ certificates: added });
    },
  );

  app.delete(
    '/api/admin/trusted-certificates/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Stop trusting a CA certificate (administrators only)',
        params: TrustedCertificateParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      const user = admin(req);
      await removeTrusted(app.database, req.params.id, user);
      return reply.status(204).send(null);
    },
  );
};
export default trustedCertificateRoutes;
