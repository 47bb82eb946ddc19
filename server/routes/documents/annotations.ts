// Marks on a document over HTTP: the ones the caller may see (for a fresh or reconnecting viewer),
// and the document with them as a PDF. Only the caller's own private marks, never anyone else's.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { inArray } from 'drizzle-orm';
import { ErrorResponse, IdParams } from '../../../shared/api';
import { DocumentAnnotationsSchema } from '../../../shared/annotations';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import { documentFor } from '../../services/document-access';
import { documentAnnotations, parseLayers, strokeRowsForUser } from '../../live/annotation-service';
import { headOf } from '../../live/event-log';
import type { ExportMark } from '../../pdf/export-task';
import { dispositionHeader } from '../disposition';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const annotationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/documents/:id/annotations',
    {
      schema: {
        tags: ['annotations'],
        summary: "The marks on a document the caller may see: their own private marks, and everyone's shared and presenter marks",
        params: IdParams,
        response: { 200: DocumentAnnotationsSchema, ...errors },
      },
    },
    async (req) => {
      // a draft's marks are no more visible than the draft
      return app.database.read(async (q, t) => {
        const { doc, access } = await documentFor(q, t, currentUser(req), req.params.id, 'read');
        const { seq } = await headOf(q, t, doc.meetingId);
        return documentAnnotations(q, t, app.live.annotations, seq, doc, access.userId);
      });
    },
  );

  app.get(
    '/api/documents/:id/annotated.pdf',
    {
      schema: {
        tags: ['annotations'],
        summary: 'The document with the marks the caller may see, as native PDF annotations or flattened into the pages',
        params: IdParams,
        querystring: Type.Object({
          /** comma-separated: private,shared,presenter (default all three) */
          layers: Type.Optional(Type.String({ maxLength: 40 })),
          flatten: Type.Optional(Type.Union([Type.Literal('0'), Type.Literal('1'), Type.Literal('true'), Type.Literal('false')])),
        }),
        response: { ...errors, 422: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (req, reply) => {
      // a confidential document leaves the server only as the member's watermarked copy in the viewer;
      // its organisers, who hold the original anyway, may still export their marks on it
      let found;
      try {
        found = await app.database.read((q, t) => documentFor(q, t, currentUser(req), req.params.id, 'export'));
      } catch (e) {
        if (e instanceof AppError && e.code === 'CONFIDENTIAL_DOCUMENT') {
          req.log.info(
            {
              audit: 'document.exportAnnotated',
              documentId: req.params.id,
              by: currentUser(req).id,
              refused: 'CONFIDENTIAL_DOCUMENT',
            },
            'annotated export of a confidential document refused',
          );
        }
        throw e;
      }
      const { doc, access } = found;
      const layers = parseLayers(req.query.layers);
      const flatten = req.query.flatten === '1' || req.query.flatten === 'true';
      const { strokes, names } = await app.database.read(async (q, t) => {
        const rows = await strokeRowsForUser(q, t, doc.id, access.userId, layers);
        const authorIds = [...new Set(rows.map((s) => s.authorId))];
        const users = authorIds.length
          ? await q.select({ id: t.users.id, fullName: t.users.fullName }).from(t.users).where(inArray(t.users.id, authorIds))
          : [];
        return { strokes: rows, names: new Map(users.map((u) => [u.id, u.fullName])) };
      });
      const marks: ExportMark[] = strokes.map((s) => ({
        id: s.id,
        page: s.page,
        layer: s.layer,
        tool: s.tool,
        color: s.color,
        width: s.width,
        points: s.points,
        ...(s.text !== null ? { text: s.text } : {}),
        author: names.get(s.authorId) ?? '',
        at: s.at,
      }));
      const started = performance.now();
      // in a worker (services/annotated-export.ts): the event loop keeps serving everyone meanwhile
      const file = app.store.pathFor(doc.sha256);
      const made = await app.exports.make(access.userId, file, marks, flatten);
      const length = (made.originalFirst ? made.originalLength : 0) + made.parts.reduce((sum, p) => sum + p.length, 0);
      req.log.info(
        {
          audit: 'document.exportAnnotated',
          documentId: doc.id,
          by: access.userId,
          marks: marks.length,
          flatten,
          ms: Math.round(performance.now() - started),
        },
        'annotated PDF exported',
      );
      const base = doc.filename.replace(/\.pdf$/i, '');
      const name = `${base}-annotated.pdf`;
      // Content-Length up front and 1 MiB chunks: the client shows download progress
      const CHUNK = 1024 * 1024;
      const chunks = async function* () {
        // the original from its file (content-addressed: the bytes the worker read), never held whole here
        if (made.originalFirst)
          for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK })) yield chunk as Buffer;
        for (const bytes of made.parts) {
          for (let i = 0; i < bytes.length; i += CHUNK)
            yield Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(CHUNK, bytes.length - i));
        }
      };
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Length', String(length))
        .header('Cache-Control', 'private, no-store')
        .header('Content-Disposition', dispositionHeader('attachment', name))
        .send(Readable.from(chunks()) as never);
    },
  );
};
export default annotationRoutes;
