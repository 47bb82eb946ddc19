import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  AgendaItemSchema,
  AttachDocumentBody,
  CreateAgendaItemBody,
  DocParams,
  ErrorResponse,
  IdParams,
  ItemParams,
  ReorderAgendaBody,
  UpdateAgendaItemBody,
} from '../../../shared/api';
import { draftsVisibleTo } from '../../policies/document-policy';
import { currentUser } from '../../plugins/auth';
import { authorizeSync } from '../../policies/meeting-policy';
import {
  attachDocument,
  createAgendaItem,
  deleteAgendaItem,
  detachDocument,
  listAgenda,
  reorderAgenda,
  updateAgendaItem,
} from '../../services/agenda';
import { announceMeetingChanges } from '../../realtime/meeting-changed';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };
const ItemDocParams = Type.Object({ ...ItemParams.properties, documentId: DocParams.properties.documentId });

const agendaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  announceMeetingChanges(app); // open meeting pages re-read the meeting after a change
  app.get(
    '/api/meetings/:id/agenda',
    {
      schema: { tags: ['agenda'], params: IdParams, response: { 200: Type.Array(AgendaItemSchema), ...errors } },
    },
    async (req) => {
      const a = authorizeSync(app.db, currentUser(req), req.params.id, 'read');
      return listAgenda(app.db, a.meetingId, { drafts: draftsVisibleTo(a) });
    },
  );

  app.post(
    '/api/meetings/:id/agenda',
    {
      schema: { tags: ['agenda'], params: IdParams, body: CreateAgendaItemBody, response: { 201: AgendaItemSchema, ...errors } },
    },
    async (req, reply) => {
      const a = authorizeSync(app.db, currentUser(req), req.params.id, 'editAgenda');
      return reply.status(201).send(createAgendaItem(app.db, a.meetingId, req.body));
    },
  );

  app.put(
    '/api/meetings/:id/agenda/order',
    {
      schema: {
        tags: ['agenda'],
        params: IdParams,
        body: ReorderAgendaBody,
        response: { 200: Type.Array(AgendaItemSchema), ...errors },
      },
    },
    async (req) => {
      const a = authorizeSync(app.db, currentUser(req), req.params.id, 'editAgenda');
      return reorderAgenda(app.db, a.meetingId, req.body.itemIds);
    },
  );

  app.patch(
    '/api/meetings/:id/agenda/:itemId',
    {
      schema: {
        tags: ['agenda'],
        params: ItemParams,
        body: UpdateAgendaItemBody,
        response: { 200: AgendaItemSchema, ...errors },
      },
    },
    async (req) => {
      const a = authorizeSync(app.db, currentUser(req), req.params.id, 'editAgenda');
      return updateAgendaItem(app.db, a.meetingId, req.params.itemId, req.body);
    },
  );

  app.delete(
    '/api/meetings/:id/agenda/:itemId',
    {
      schema: { tags: ['agenda'], params: ItemParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const a = authorizeSync(app.db, currentUser(req), req.params.id, 'editAgenda');
      deleteAgendaItem(app.db, a.meetingId, req.params.itemId);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/meetings/:id/agenda/:itemId/documents',
    {
      schema: { tags: ['agenda'], params: ItemParams, body: AttachDocumentBody, response: { 201: AgendaItemSchema, ...errors } },
    },
    async (req, reply) => {
      const a = authorizeSync(app.db, currentUser(req), req.params.id, 'editAgenda');
      return reply.status(201).send(attachDocument(app.db, a.meetingId, req.params.itemId, req.body.documentId));
    },
  );

  app.delete(
    '/api/meetings/:id/agenda/:itemId/documents/:documentId',
    {
      schema: { tags: ['agenda'], params: ItemDocParams, response: { 200: AgendaItemSchema, ...errors } },
    },
    async (req) => {
      const a = authorizeSync(app.db, currentUser(req), req.params.id, 'editAgenda');
      return detachDocument(app.db, a.meetingId, req.params.itemId, req.params.documentId);
    },
  );
};
export default agendaRoutes;
