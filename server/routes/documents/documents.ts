import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DocParams, DocumentSchema, ErrorResponse, IdParams, RenameDocumentBody } from '../../../shared/api';
import { currentUser } from '../../plugins/auth';
import { authorize } from '../../policies/meeting-policy';
import { AppError } from '../../errors';
import { FileQuery, asPinned, sendDocumentFile, wantsOriginal } from './send-document-file';
import { rooms } from '../../live/visibility';
import {
  deleteDocument,
  listDocuments,
  renameDocument,
  setConfidentiality,
  setOfflineAllowed,
  uploadDocument,
} from '../../services/documents';
import { documentFor, meetingOfDocument } from '../../services/document-access';
import type { Query, Tables } from '../../db/store';
import type { DocumentInfo } from '../../../shared/api';
import { draftsVisibleTo, readsOriginal } from '../../policies/document-policy';
import { announceMeetingChanges } from '../../realtime/meeting-changed';
import { SetConfidentialityBody, SetOfflineAllowedBody } from '../../../shared/confidential';
import { auditDocumentOpen, isFirstRead, memberWatermark } from './confidential-access';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** `{ doc, changed }` as `{ updated, changed }`, beside the document the route checked. */
const renameKeys = (r: { doc: DocumentInfo; changed: boolean }) => ({ updated: r.doc, changed: r.changed });

const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  announceMeetingChanges(app); // open meeting pages re-read the meeting after a change
  // a web copy made (or failed) in the background: open pages re-read the meeting, and the viewer
  // switches to the copy at its next open (the list says 'ready')
  app.webCopies.onSettled((meetingId) => {
    app.io.to(rooms.meeting(meetingId)).emit('meeting.changed', { meetingId });
  });

  /**
   * One write on a document, locked on its meeting (PostgreSQL orders it with that meeting's live
   * commands): the meeting is looked up first, then the check and the change happen in the write.
   */
  const inDocumentsMeeting = async <T>(documentId: string, fn: (tx: Query, t: Tables) => Promise<T>): Promise<T> => {
    const meetingId = await app.database.read((q, t) => meetingOfDocument(q, t, documentId));
    return app.database.write(meetingId, fn);
  };
  app.get(
    '/api/meetings/:id/documents',
    {
      schema: { tags: ['documents'], params: IdParams, response: { 200: Type.Array(DocumentSchema), ...errors } },
    },
    async (req) => {
      const user = currentUser(req);
      return app.database.read(async (q, t) => {
        const a = await authorize(q, t, user, req.params.id, 'read');
        return listDocuments(q, t, a.meetingId, { drafts: draftsVisibleTo(a) });
      });
    },
  );

  app.post(
    '/api/meetings/:id/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'Upload a PDF (multipart field "file"); it is opened with pdf.js before it is accepted',
        consumes: ['multipart/form-data'],
        params: IdParams,
        response: { 201: DocumentSchema, ...errors, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const a = await app.database.read((q, t) => authorize(q, t, user, req.params.id, 'uploadDocument'));
      if (!req.isMultipart()) throw new AppError('INVALID', 'Send the PDF as multipart/form-data in the field "file"');
      const part = await req.file({ limits: { fileSize: app.config.maxUploadBytes, files: 1 } });
      if (!part || part.fieldname !== 'file') {
        part?.file.resume();
        throw new AppError('INVALID', 'Send the PDF in the multipart field "file"');
      }
      const started = process.hrtime.bigint();
      const uploadTimed = (outcome: string) =>
        app.metrics.uploadDuration.observe({ outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      let doc;
      try {
        doc = await uploadDocument(app.database, app.store, app.pdfWorkers, app.config, {
          meetingId: a.meetingId,
          uploadedBy: user.id,
          filename: part.filename,
          stream: part.file,
          log: req.log,
          inspected: (seconds, outcome) => app.metrics.inspectionDuration.observe({ outcome }, seconds),
          webCopies: app.webCopies,
        });
      } catch (e) {
        uploadTimed(e instanceof AppError ? e.code : 'error');
        throw e;
      }
      uploadTimed('ok');
      req.log.info({ audit: 'document.upload', meetingId: a.meetingId, documentId: doc.id, by: user.id }, 'document uploaded');
      return reply.status(201).send(doc);
    },
  );

  app.delete(
    '/api/meetings/:id/documents/:documentId',
    {
      schema: { tags: ['documents'], params: DocParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const user = currentUser(req);
      const a = await app.database.write(req.params.id, async (tx, t) => {
        const a = await authorize(tx, t, user, req.params.id, 'uploadDocument');
        await deleteDocument(tx, t, a.meetingId, req.params.documentId);
        return a;
      });
      await app.confidentialCopies.forget(req.params.documentId);
      req.log.info(
        { audit: 'document.delete', meetingId: a.meetingId, documentId: req.params.documentId, by: user.id },
        'document deleted',
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/documents/:id',
    {
      schema: { tags: ['documents'], params: IdParams, response: { 200: DocumentSchema, ...errors } },
    },
    async (req) => {
      const user = currentUser(req);
      const { doc: found } = await app.database.read((q, t) => documentFor(q, t, user, req.params.id, 'read'));
      const { web: _web, ...doc } = found;
      return doc;
    },
  );

  app.patch(
    '/api/documents/:id',
    {
      schema: {
        tags: ['documents'],
        summary: 'Rename a document (the organisers of its meeting)',
        params: IdParams,
        body: RenameDocumentBody,
        response: { 200: DocumentSchema, ...errors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      // NOT_FOUND first for a document the caller cannot read, FORBIDDEN for a reader who may not upload
      const { doc, a, renamed } = await inDocumentsMeeting(req.params.id, async (tx, t) => {
        const { doc, access: a } = await documentFor(tx, t, user, req.params.id, 'manage');
        return { doc, a, renamed: await renameDocument(tx, t, a.meetingId, doc.id, req.body.title) };
      });
      req.changedMeetingId = a.meetingId;
      req.log.info({ audit: 'document.rename', meetingId: a.meetingId, documentId: doc.id, by: user.id }, 'document renamed');
      return renamed;
    },
  );

  app.put(
    '/api/documents/:id/confidentiality',
    {
      schema: {
        tags: ['documents'],
        summary:
          'Mark a document confidential (tài liệu mật) at a level, or ordinary again (null): the organisers of its meeting. ' +
          'Members then read it only as a copy with their personal watermark; no original, no annotated export',
        params: IdParams,
        body: SetConfidentialityBody,
        response: { 200: DocumentSchema, ...errors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const { doc, a, updated, changed } = await inDocumentsMeeting(req.params.id, async (tx, t) => {
        const { doc, access: a } = await documentFor(tx, t, user, req.params.id, 'manage');
        return { doc, a, ...renameKeys(await setConfidentiality(tx, t, a.meetingId, doc.id, req.body.level)) };
      });
      // copies made at the old level carry the old stamp; none are needed for an ordinary document
      if (changed) await app.confidentialCopies.forget(doc.id);
      req.log.info(
        { audit: 'document.confidentiality', meetingId: a.meetingId, documentId: doc.id, level: req.body.level, by: user.id },
        'document confidentiality set',
      );
      if (changed) req.changedMeetingId = a.meetingId;
      return updated;
    },
  );

  app.put(
    '/api/documents/:id/offline',
    {
      schema: {
        tags: ['documents'],
        summary:
          'Let members keep a confidential document on their device for offline reading (their watermarked copy), or not: ' +
          'the organisers of its meeting. Ordinary documents are always kept; confidential ones only when allowed',
        params: IdParams,
        body: SetOfflineAllowedBody,
        response: { 200: DocumentSchema, ...errors },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const { doc, a, updated, changed } = await inDocumentsMeeting(req.params.id, async (tx, t) => {
        const { doc, access: a } = await documentFor(tx, t, user, req.params.id, 'manage');
        return { doc, a, ...renameKeys(await setOfflineAllowed(tx, t, a.meetingId, doc.id, req.body.allowed)) };
      });
      req.log.info(
        { audit: 'document.offline', meetingId: a.meetingId, documentId: doc.id, allowed: req.body.allowed, by: user.id },
        'document offline reading set',
      );
      // open pages re-read the meeting: a device drops a copy it may no longer keep
      if (changed) req.changedMeetingId = a.meetingId;
      return updated;
    },
  );

  app.get(
    '/api/documents/:id/file',
    {
      schema: {
        tags: ['documents'],
        summary:
          'The PDF bytes; supports ETag/If-None-Match and Range (206) so pdf.js can load big files progressively. ' +
          'A big PDF is served as its web-optimized copy (same pages, page objects packed for Range loading, page 1 first; ' +
          'the Hopso-First-Page-Bytes header gives the prefix page 1 draws from); ?original=1 gives the uploaded bytes',
        params: IdParams,
        querystring: FileQuery,
        response: { ...errors, 416: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (req, reply) => {
      const user = currentUser(req);
      // a draft is NOT_FOUND for a member
      const { doc: found, access } = await app.database.read((q, t) => documentFor(q, t, user, req.params.id, 'read'));
      const doc = asPinned(req, found);
      if (!doc.confidentiality) return sendDocumentFile(req, reply, app.store, doc);
      // A confidential document: the meeting's organisers (who upload and mark it) read the file
      // itself; every other member only their own watermarked copy, never the original.
      const organiser = readsOriginal(access, doc);
      const audit = (variant: 'original' | 'watermarked', outcome: 'ok' | 'refused') =>
        auditDocumentOpen(app.database, req, { user, doc, variant, outcome });
      if (organiser) {
        if (isFirstRead(req)) await audit('original', 'ok');
        return sendDocumentFile(req, reply, app.store, doc);
      }
      if (wantsOriginal(req)) {
        await audit('original', 'refused');
        throw new AppError(
          'CONFIDENTIAL_DOCUMENT',
          'This document is confidential: it is read only in the viewer, with your name on every page',
        );
      }
      const copy = await app.confidentialCopies.copyFor(doc, { id: user.id, lines: memberWatermark(user, doc.confidentiality) });
      if (isFirstRead(req)) await audit('watermarked', 'ok');
      return sendDocumentFile(req, reply, app.store, doc, copy);
    },
  );
};
export default documentRoutes;
