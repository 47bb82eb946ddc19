// HTTP side of the minutes (biên bản): the live draft for members, the preview PDF, finalise, sign
// (secretary first, then chair), the latest PDF, its verification, and a new version for a
// correction. Edits themselves are `minutes.update` commands on the live socket. Rules: MinutesService.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import { ErrorResponse, IdParams } from '../../../shared/api';
import {
  ExternalCompleteBody,
  ExternalPrepareBody,
  ExternalRequestParams,
  ExternalSigningRequestSchema,
  FileVerificationSchema,
  MinutesDraftSchema,
  MinutesVerificationSchema,
  MinutesVersionSchema,
} from '../../../shared/minutes-api';
import { currentUser } from '../../plugins/auth';
import { meetingAccess } from '../../policies/meeting-policy';
import { AppError } from '../../errors';
import { dispositionHeader } from '../disposition';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const signingErrors = { ...errors, 410: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse };

/** base64 (or PEM for certificates) → bytes; a malformed one is the caller's mistake */
function decodeBase64(s: string, what: string): Uint8Array {
  const clean = s.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  if (!clean || !/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) throw new AppError('INVALID', `${what} is not base64`);
  return new Uint8Array(Buffer.from(clean, 'base64'));
}
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
  const access = (req: { params: { id: string } } & Parameters<typeof currentUser>[0]) =>
    app.database.read((q, t) => meetingAccess(q, t, currentUser(req), req.params.id));

  app.get(
    '/api/meetings/:id/minutes',
    {
      schema: {
        tags: ['minutes'],
        summary: 'The minutes as they stand: the secretary’s texts, the auto-filled document, versions',
        params: IdParams,
        response: { 200: MinutesDraftSchema, ...errors },
      },
    },
    async (req) => app.minutes.draft(await access(req)),
  );

  app.get(
    '/api/meetings/:id/minutes/preview.pdf',
    {
      schema: {
        tags: ['minutes'],
        summary: 'The draft rendered as it would be finalised now (officers)',
        params: IdParams,
        response: errors,
      },
    },
    async (req, reply) => {
      const bytes = await app.minutes.preview(await access(req));
      return sendPdf(reply, bytes, 'bien-ban-ban-nhap.pdf', 'inline');
    },
  );

  app.post(
    '/api/meetings/:id/minutes/finalize',
    {
      schema: {
        tags: ['minutes'],
        summary: 'Secretary: render and freeze this version (the meeting must have ended)',
        params: IdParams,
        response: { 201: MinutesVersionSchema, ...errors },
      },
    },
    async (req, reply) => {
      const a = await access(req);
      const started = performance.now();
      const v = await app.minutes.finalize(a);
      req.log.info(
        {
          audit: 'minutes.finalize',
          meetingId: a.meetingId,
          by: a.userId,
          version: v.version,
          pages: v.pageCount,
          ms: Math.round(performance.now() - started),
        },
        'minutes finalised',
      );
      return reply.status(201).send(v);
    },
  );

  app.post(
    '/api/meetings/:id/minutes/sign',
    {
      schema: {
        tags: ['minutes'],
        summary:
          'Sign the finalised minutes with the server’s key for you (internal CA or PKCS#11 token): the secretary first, then the chair',
        params: IdParams,
        response: { 200: MinutesVersionSchema, ...signingErrors },
      },
    },
    async (req) => {
      const a = await access(req);
      const started = performance.now();
      const v = await app.minutes.sign(a);
      req.log.info(
        {
          audit: 'minutes.sign',
          meetingId: a.meetingId,
          by: a.userId,
          role: a.role,
          version: v.version,
          ms: Math.round(performance.now() - started),
        },
        'minutes signed',
      );
      return v;
    },
  );

  // Deferred signing: the signer's own signing app (USB token) or remote-signing service signs.
  app.post(
    '/api/meetings/:id/minutes/sign/external',
    {
      schema: {
        tags: ['minutes'],
        summary:
          'Prepare a deferred signature: the digest to sign (CMS mode), or with your certificate chain the signed attributes (raw mode)',
        params: IdParams,
        body: ExternalPrepareBody,
        response: { 201: ExternalSigningRequestSchema, ...signingErrors },
      },
    },
    async (req, reply) => {
      const a = await access(req);
      const chain = req.body.certificateChain?.map((c, i) => decodeBase64(c, `certificateChain[${i}]`));
      const r = await app.minutes.prepareExternal(a, chain ? { certificateChain: chain } : {});
      req.log.info(
        {
          audit: 'minutes.sign.prepare',
          meetingId: a.meetingId,
          by: a.userId,
          role: r.role,
          version: r.version,
          mode: r.mode,
          requestId: r.requestId,
        },
        'deferred signature prepared',
      );
      return reply.status(201).send(r);
    },
  );

  app.post(
    '/api/meetings/:id/minutes/sign/external/:requestId',
    {
      schema: {
        tags: ['minutes'],
        summary:
          'Complete a deferred signature with the CMS (or raw signature) from your signing app; refused unless it covers the prepared digest with a trusted, valid certificate',
        params: ExternalRequestParams,
        body: ExternalCompleteBody,
        response: { 200: MinutesVersionSchema, ...signingErrors },
      },
    },
    async (req) => {
      const a = await access(req);
      const input = {
        ...(req.body.cms ? { cms: decodeBase64(req.body.cms, 'cms') } : {}),
        ...(req.body.signature ? { signature: decodeBase64(req.body.signature, 'signature') } : {}),
      };
      if (!input.cms && !input.signature) throw new AppError('INVALID', 'Send `cms` or `signature`');
      try {
        const v = await app.minutes.completeExternal(a, req.params.requestId, input);
        req.log.info(
          {
            audit: 'minutes.sign',
            meetingId: a.meetingId,
            by: a.userId,
            role: a.role,
            version: v.version,
            deferred: true,
            requestId: req.params.requestId,
          },
          'minutes signed (deferred)',
        );
        return v;
      } catch (err) {
        if (err instanceof AppError)
          req.log.warn(
            {
              audit: 'minutes.sign.refused',
              meetingId: a.meetingId,
              by: a.userId,
              code: err.code,
              requestId: req.params.requestId,
            },
            'deferred signature refused',
          );
        throw err;
      }
    },
  );

  app.post(
    '/api/meetings/:id/minutes/revise',
    {
      schema: {
        tags: ['minutes'],
        summary: 'Secretary: open a new version for a correction (signatures reset)',
        params: IdParams,
        response: { 201: Type.Object({ version: Type.Integer() }), ...errors },
      },
    },
    async (req, reply) => {
      const a = await access(req);
      const v = await app.minutes.revise(a);
      req.log.info(
        { audit: 'minutes.revise', meetingId: a.meetingId, by: a.userId, version: v.version },
        'minutes reopened for a correction',
      );
      return reply.status(201).send(v);
    },
  );

  app.get(
    '/api/meetings/:id/minutes.pdf',
    {
      schema: {
        tags: ['minutes'],
        summary: 'The latest minutes PDF (signed once signatures exist)',
        params: IdParams,
        response: errors,
      },
    },
    async (req, reply) => {
      const { bytes, row } = await app.minutes.latestPdf(await access(req));
      reply
        .header('ETag', `"${row.sha256}"`)
        .header('X-Minutes-Status', row.status)
        .header('X-Minutes-Version', String(row.version));
      return sendPdf(reply, bytes, `bien-ban-hop-v${row.version}.pdf`, 'attachment');
    },
  );

  app.get(
    '/api/meetings/:id/minutes/verify',
    {
      schema: {
        tags: ['minutes'],
        summary:
          'Signers, signing times, timestamps, chain trust, integrity of the latest minutes, and whether they match the event log',
        params: IdParams,
        response: { 200: MinutesVerificationSchema, ...errors },
      },
    },
    async (req) => app.minutes.verify(await access(req)),
  );

  // Anyone signed in may check a minutes file they hold (raw PDF body).
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/pdf', { parseAs: 'buffer', bodyLimit: MAX_VERIFY_BYTES }, (_req, body, done) =>
      done(null, body),
    );
    scope.post(
      '/api/minutes/verify',
      {
        bodyLimit: MAX_VERIFY_BYTES,
        schema: {
          tags: ['minutes'],
          summary:
            'Check a minutes PDF (body: application/pdf): signers, times, integrity, and whether it is a version we issued',
          response: { 200: FileVerificationSchema, ...errors },
        },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body))
          throw new AppError('INVALID', 'Send the PDF as the request body (Content-Type: application/pdf)');
        return app.minutes.verifyFile(new Uint8Array(req.body));
      },
    );
  });
};
export default minutesRoutes;
