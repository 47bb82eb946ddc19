// HTTP side of the minutes (biên bản): the live draft for members, the preview PDF, finalise, sign
// (secretary first, then chair), the latest PDF, its verification, and a new version for a
// correction. Edits themselves are `minutes.update` commands on the live socket. Rules: MinutesService.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { ErrorResponse, IdParams } from '../../../shared/api';
import { FileVerificationSchema, MinutesDraftSchema, MinutesVerificationSchema, MinutesVersionSchema } from '../../../shared/minutes-api';
import { currentUser } from '../../plugins/auth';
import { meetingAccess } from '../../policies/meeting-policy';
import { AppError } from '../../errors';
import { dispositionHeader } from '../disposition';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const MAX_VERIFY_BYTES = 50 * 1024 * 1024;

function sendPdf(reply: FastifyReply, bytes: Uint8Array, filename: string, disposition: 'inline' | 'attachment') {
  return reply
    .header('Content-Type', 'application/pdf')
    .header('Content-Length', String(bytes.length))
    .header('Cache-Control', 'private, no-store')
    .header('Content-Disposition', dispositionHeader(disposition, filename))
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as never);
}

const minutesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = (req: { params: { id: string } } & Parameters<typeof currentUser>[0]) => meetingAccess(app.db, currentUser(req), req.params.id);

  app.get('/api/meetings/:id/minutes', {
    schema: { tags: ['minutes'], summary: 'The minutes as they stand: the secretary’s texts, the auto-filled document, versions', params: IdParams, response: { 200: MinutesDraftSchema, ...errors } },
  }, async (req) => app.minutes.draft(access(req)));

  app.get('/api/meetings/:id/minutes/preview.pdf', {
    schema: { tags: ['minutes'], summary: 'The draft rendered as it would be finalised now (officers)', params: IdParams, response: errors },
  }, async (req, reply) => {
    const bytes = await app.minutes.preview(access(req));
    return sendPdf(reply, bytes, 'bien-ban-ban-nhap.pdf', 'inline');
  });

  app.post('/api/meetings/:id/minutes/finalize', {
    schema: { tags: ['minutes'], summary: 'Secretary: render and freeze this version (the meeting must have ended)', params: IdParams, response: { 201: MinutesVersionSchema, ...errors } },
  }, async (req, reply) => {
    const a = access(req);
    const started = performance.now();
    const v = await app.minutes.finalize(a);
    req.log.info({ audit: 'minutes.finalize', meetingId: a.meetingId, by: a.userId, version: v.version, pages: v.pageCount, ms: Math.round(performance.now() - started) }, 'minutes finalised');
    return reply.status(201).send(v);
  });

  app.post('/api/meetings/:id/minutes/sign', {
    schema: { tags: ['minutes'], summary: 'Sign the finalised minutes: the secretary first, then the chair', params: IdParams, response: { 200: MinutesVersionSchema, ...errors } },
  }, async (req) => {
    const a = access(req);
    const started = performance.now();
    const v = await app.minutes.sign(a);
    req.log.info({ audit: 'minutes.sign', meetingId: a.meetingId, by: a.userId, role: a.role, version: v.version, ms: Math.round(performance.now() - started) }, 'minutes signed');
    return v;
  });

  app.post('/api/meetings/:id/minutes/revise', {
    schema: { tags: ['minutes'], summary: 'Secretary: open a new version for a correction (signatures reset)', params: IdParams, response: { 201: Type.Object({ version: Type.Integer() }), ...errors } },
  }, async (req, reply) => {
    const a = access(req);
    const v = await app.minutes.revise(a);
    req.log.info({ audit: 'minutes.revise', meetingId: a.meetingId, by: a.userId, version: v.version }, 'minutes reopened for a correction');
    return reply.status(201).send(v);
  });

  app.get('/api/meetings/:id/minutes.pdf', {
    schema: { tags: ['minutes'], summary: 'The latest minutes PDF (signed once signatures exist)', params: IdParams, response: errors },
  }, async (req, reply) => {
    const { bytes, row } = await app.minutes.latestPdf(access(req));
    reply.header('ETag', `"${row.sha256}"`).header('X-Minutes-Status', row.status).header('X-Minutes-Version', String(row.version));
    return sendPdf(reply, bytes, `bien-ban-hop-v${row.version}.pdf`, 'attachment');
  });

  app.get('/api/meetings/:id/minutes/verify', {
    schema: { tags: ['minutes'], summary: 'Signers, signing times, integrity of the latest minutes, and whether they match the event log', params: IdParams, response: { 200: MinutesVerificationSchema, ...errors } },
  }, async (req) => app.minutes.verify(access(req)));

  // Anyone signed in may check a minutes file they hold (raw PDF body).
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: MAX_VERIFY_BYTES }, (_req, body, done) => done(null, body));
    scope.post('/api/minutes/verify', {
      bodyLimit: MAX_VERIFY_BYTES,
      schema: { tags: ['minutes'], summary: 'Check a minutes PDF (body: application/pdf): signers, times, integrity, and whether it is a version we issued', response: { 200: FileVerificationSchema, ...errors } },
    }, async (req) => {
      if (!Buffer.isBuffer(req.body)) throw new AppError('INVALID', 'Send the PDF as the request body (Content-Type: application/pdf)');
      return app.minutes.verifyFile(new Uint8Array(req.body));
    });
  });
};
export default minutesRoutes;
