// Documents circulated before the meeting (issue 15): publishing a draft to the members, new
// versions and what changed, and who has read how far (with a reminder to those who have not).
// Thin: the rules are in services/document-publication, document-versions, read-tracking.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DocumentReadsSchema,
  DocumentSchema,
  DocumentTextSchema,
  ErrorResponse,
  IdParams,
  RemindResultSchema,
  VersionChangesSchema,
} from '../../../shared/api';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import { uploadDocument } from '../../services/documents';
import { publishDocument } from '../../services/document-publication';
import { documentFor, meetingOfDocument } from '../../services/document-access';
import { moveAgendaLinks, versionChanges, versionTarget } from '../../services/document-versions';
import { publishedNotice, reminderNotice } from '../../services/document-notices';
import { rooms } from '../../live/visibility';
import { documentPageTexts, documentTextState } from '../../services/document-text';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

const circulationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // the routes' :id is a document's: open pages of its meeting are nudged by hand (realtime/meeting-changed.ts)
  const nudge = (meetingId: string) => {
    app.io.to(rooms.meeting(meetingId)).emit('meeting.changed', { meetingId });
  };

  /** The document and the caller's access: NOT_FOUND if they may not see it (a draft, for a member), FORBIDDEN unless an officer. */
  const asOfficer = (req: Parameters<typeof currentUser>[0], id: string) =>
    app.database.read((q, t) => documentFor(q, t, currentUser(req), id, 'manage'));

  app.post(
    '/api/documents/:id/publish',
    {
      schema: {
        tags: ['documents'],
        summary: 'Send a draft to the members (officers); they are notified',
        params: IdParams,
        response: { 200: DocumentSchema, ...errors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const meetingId = await app.database.read((q, t) => meetingOfDocument(q, t, req.params.id));
      // one transaction: the check, the document goes out, a new version takes the old one's place on
      // the agenda, and the notifications are stored with it (sent after the commit)
      const { doc, access, published, staged } = await app.database.write(meetingId, async (tx, t) => {
        const { doc, access } = await documentFor(tx, t, user, req.params.id, 'manage');
        const published = await publishDocument(tx, t, access.meetingId, doc.id);
        if (published.previousVersionId) await moveAgendaLinks(tx, t, published.previousVersionId, published.id);
        const notice = await publishedNotice(tx, t, published, user.id);
        return { doc, access, published, staged: await app.notifications.stage(tx, t, notice) };
      });
      app.notifications.publish(staged);
      nudge(access.meetingId);
      req.log.info(
        { audit: 'document.publish', meetingId: access.meetingId, documentId: doc.id, by: user.id },
        'document published',
      );
      return published;
    },
  );

  app.post(
    '/api/documents/:id/versions',
    {
      schema: {
        tags: ['documents'],
        summary: 'Upload a new version of a document (officers; multipart field "file"): a draft of its own, linked to this one',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: DocumentSchema, ...errors, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const { doc, access, target } = await app.database.read(async (q, t) => {
        const { doc, access } = await documentFor(q, t, user, req.params.id, 'manage');
        return { doc, access, target: await versionTarget(q, t, access.meetingId, doc.id) };
      });
      if (!req.isMultipart()) throw new AppError('INVALID', 'Send the PDF as multipart/form-data in the field "file"');
      const part = await req.file({ limits: { fileSize: app.config.maxUploadBytes, files: 1 } });
      if (!part || part.fieldname !== 'file') {
        part?.file.resume();
        throw new AppError('INVALID', 'Send the PDF in the multipart field "file"');
      }
      const created = await uploadDocument(app.database, app.store, app.pdfWorkers, app.config, {
        meetingId: access.meetingId,
        uploadedBy: user.id,
        filename: part.filename,
        stream: part.file,
        log: req.log,
        versionOf: target,
        webCopies: app.webCopies,
      });
      nudge(access.meetingId);
      req.log.info(
        { audit: 'document.version', meetingId: access.meetingId, documentId: created.id, previous: doc.id, by: user.id },
        'document version uploaded',
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/documents/:id/changes',
    {
      schema: {
        tags: ['documents'],
        summary: 'What changed from the previous version: the pages whose text differs, word by word',
        params: IdParams,
        response: { 200: VersionChangesSchema, ...errors },
      },
    },
    async (req) => {
      // the text of both versions: CONFIDENTIAL_DOCUMENT for a member (its text is read only in the viewer)
      const user = currentUser(req);
      // the text of both versions: CONFIDENTIAL_DOCUMENT for a member (its text is read only in the viewer)
      return app.database.read(async (q, t) => {
        const { doc } = await documentFor(q, t, user, req.params.id, 'text');
        if (!doc.previousVersionId) throw new AppError('NOT_FOUND', 'This document has no previous version');
        // the previous version must be one the caller may read too (a draft that never went out is not)
        await documentFor(q, t, user, doc.previousVersionId, 'text');
        return versionChanges(q, t, doc);
      });
    },
  );

  app.get(
    '/api/documents/:id/text',
    {
      schema: {
        tags: ['documents'],
        summary:
          "Each page's text as read at upload, for find in the viewer (whoever may read the document; never a confidential one's)",
        params: IdParams,
        response: { 200: DocumentTextSchema, ...errors },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      // never a confidential document's text, to anybody (policies/document-policy.ts, purpose 'findText')
      const body = await app.database.read(async (q, t) => {
        const { doc } = await documentFor(q, t, user, req.params.id, 'findText');
        const state = (await documentTextState(q, t, doc.id)) ?? null;
        return { documentId: doc.id, state, pages: state === 'done' ? await documentPageTexts(q, t, doc.id) : [] };
      });
      // not kept by the browser's HTTP cache: the document may be marked confidential later (the viewer keeps it in memory)
      void reply.header('cache-control', 'no-store');
      return body;
    },
  );

  app.get(
    '/api/documents/:id/reads',
    {
      schema: {
        tags: ['documents'],
        summary: 'Who opened the document and how far they read (officers)',
        params: IdParams,
        response: { 200: DocumentReadsSchema, ...errors },
      },
    },
    async (req) => {
      const { doc, access } = await asOfficer(req, req.params.id);
      return app.reads.readers(doc.id, access.meetingId);
    },
  );

  app.post(
    '/api/documents/:id/remind',
    {
      schema: {
        tags: ['documents'],
        summary: 'Remind the members who have not opened a published document (officers)',
        params: IdParams,
        response: { 200: RemindResultSchema, ...errors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const { doc, access } = await asOfficer(req, req.params.id);
      if (doc.publishedAt === null)
        throw new AppError('CONFLICT', 'Publish the document before reminding the members to read it');
      const readers = await app.reads.readers(doc.id, access.meetingId);
      const notice = await app.database.read((q, t) => reminderNotice(q, t, doc, readers, user.id));
      await app.notifications.notify(notice);
      req.log.info(
        { audit: 'document.remind', meetingId: access.meetingId, documentId: doc.id, by: user.id, count: notice.userIds.length },
        'readers reminded',
      );
      return { reminded: [...notice.userIds] };
    },
  );
};
export default circulationRoutes;
