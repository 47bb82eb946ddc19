import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DocParams, DocumentSchema, ErrorResponse, IdParams, RenameDocumentBody } from '../../../shared/api';
import { FileQuery } from './send-document-file';
import { currentUser } from '../../plugins/auth';
import { authorize } from '../../policies/meeting-policy';
import { AppError } from '../../errors';
import { sendDocumentFile } from './send-document-file';
import { deleteDocument, getStoredDocument, listDocuments, nextVersionOf, renameDocument, uploadDocument } from '../../services/documents';
import { assertDocumentVisible, draftsVisibleTo } from '../../services/document-publication';
import { announceMeetingChanges } from '../../realtime/meeting-changed';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  announceMeetingChanges(app); // open meeting pages re-read the meeting after a change
  app.get('/api/meetings/:id/documents', {
    schema: { tags: ['documents'], params: IdParams, response: { 200: Type.Array(DocumentSchema), ...errors } },
  }, async (req) => {
    const a = authorize(app.db, currentUser(req), req.params.id, 'read');
    return listDocuments(app.db, a.meetingId, { drafts: draftsVisibleTo(a) });
  });

  app.post('/api/meetings/:id/documents', {
    schema: {
      tags: ['documents'],
      summary: 'Upload a PDF (multipart field "file"); it is opened with pdf.js before it is accepted',
      consumes: ['multipart/form-data'],
      params: IdParams,
      response: { 201: DocumentSchema, ...errors, 413: ErrorResponse, 415: ErrorResponse, 422: ErrorResponse },
    },
  }, async (req, reply) => {
    const user = currentUser(req);
    const a = authorize(app.db, user, req.params.id, 'uploadDocument');
    if (!req.isMultipart()) throw new AppError('INVALID', 'Send the PDF as multipart/form-data in the field "file"');
    const part = await req.file({ limits: { fileSize: app.config.maxUploadBytes, files: 1 } });
    if (!part || part.fieldname !== 'file') {
      part?.file.resume();
      throw new AppError('INVALID', 'Send the PDF in the multipart field "file"');
    }
    const doc = await uploadDocument(app.db, app.store, app.pdfWorkers, app.config, {
      meetingId: a.meetingId, uploadedBy: user.id, filename: part.filename, stream: part.file, log: req.log,
    });
    req.log.info({ audit: 'document.upload', meetingId: a.meetingId, documentId: doc.id, by: user.id }, 'document uploaded');
    return reply.status(201).send(doc);
  });

  app.delete('/api/meetings/:id/documents/:documentId', {
    schema: { tags: ['documents'], params: DocParams, response: { 204: Type.Null(), ...errors } },
  }, async (req, reply) => {
    const user = currentUser(req);
    const a = authorize(app.db, user, req.params.id, 'uploadDocument');
    deleteDocument(app.db, a.meetingId, req.params.documentId);
    req.log.info({ audit: 'document.delete', meetingId: a.meetingId, documentId: req.params.documentId, by: user.id }, 'document deleted');
    return reply.status(204).send(null);
  });

  /** A document the caller may read, or NOT_FOUND (also for documents of other meetings). */
  const readableDocument = (req: { params: { id: string } } & Parameters<typeof currentUser>[0]) => {
    const doc = getStoredDocument(app.db, req.params.id);
    const access = authorize(app.db, currentUser(req), doc.meetingId, 'read');
    assertDocumentVisible(access, doc); // a draft is NOT_FOUND for a member
    return { ...doc, nextVersionId: nextVersionOf(app.db, doc.id, { drafts: draftsVisibleTo(access) }) };
  };

  app.get('/api/documents/:id', {
    schema: { tags: ['documents'], params: IdParams, response: { 200: DocumentSchema, ...errors } },
  }, async (req) => {
    const { web: _web, ...doc } = readableDocument(req);
    return doc;
  });

  app.patch('/api/documents/:id', {
    schema: { tags: ['documents'], summary: 'Rename a document (the organisers of its meeting)', params: IdParams, body: RenameDocumentBody, response: { 200: DocumentSchema, ...errors } },
  }, async (req) => {
    const user = currentUser(req);
    // NOT_FOUND first for a document the caller cannot read, FORBIDDEN for a reader who may not upload
    const doc = readableDocument(req);
    const a = authorize(app.db, user, doc.meetingId, 'uploadDocument');
    const renamed = renameDocument(app.db, a.meetingId, doc.id, req.body.title);
    req.log.info({ audit: 'document.rename', meetingId: a.meetingId, documentId: doc.id, by: user.id }, 'document renamed');
    return renamed;
  });

  app.get('/api/documents/:id/file', {
    schema: {
      tags: ['documents'],
      summary: 'The PDF bytes; supports ETag/If-None-Match and Range (206) so pdf.js can load big files progressively. '
        + 'A big PDF is served as its web-optimized copy (same pages, page objects packed for Range loading, page 1 first; '
        + 'the Hopso-First-Page-Bytes header gives the prefix page 1 draws from); ?original=1 gives the uploaded bytes',
      params: IdParams,
      querystring: FileQuery,
      response: { ...errors, 416: ErrorResponse },
    },
  }, async (req, reply) => {
    return sendDocumentFile(req, reply, app.store, readableDocument(req));
  });
};
export default documentRoutes;
