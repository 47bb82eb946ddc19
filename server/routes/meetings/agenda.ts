import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Query, Tables } from '../../db/store';
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
import { authorize } from '../../policies/meeting-policy';
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
  /** One write transaction of the meeting (its lock key): the permission, then the change. */
  const edit = <T>(
    req: FastifyRequest<{ Params: { id: string } }>,
    change: (tx: Query, t: Tables, meetingId: string) => Promise<T>,
  ) =>
    app.database.write(req.params.id, async (tx, t) => {
      const a = await authorize(tx, t, currentUser(req), req.params.id, 'editAgenda');
      return change(tx, t, a.meetingId);
    });
  app.get(
    '/api/meetings/:id/agenda',
    {
      schema: { tags: ['agenda'], params: IdParams, response: { 200: Type.Array(AgendaItemSchema), ...errors } },
    },
    async (req) => {
      return app.database.read(async (q, t) => {
        const a = await authorize(q, t, currentUser(req), req.params.id, 'read');
        return listAgenda(q, t, a.meetingId, { drafts: draftsVisibleTo(a) });
      });
    },
  );

  app.post(
    '/api/meetings/:id/agenda',
    {
      schema: { tags: ['agenda'], params: IdParams, body: CreateAgendaItemBody, response: { 201: AgendaItemSchema, ...errors } },
    },
    async (req, reply) => {
      const item = await edit(req, (tx, t, meetingId) => createAgendaItem(tx, t, meetingId, req.body));
      return reply.status(201).send(item);
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
      return edit(req, (tx, t, meetingId) => reorderAgenda(tx, t, meetingId, req.body.itemIds));
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
      return edit(req, (tx, t, meetingId) => updateAgendaItem(tx, t, meetingId, req.params.itemId, req.body));
    },
  );

  app.delete(
    '/api/meetings/:id/agenda/:itemId',
    {
      schema: { tags: ['agenda'], params: ItemParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      await edit(req, (tx, t, meetingId) => deleteAgendaItem(tx, t, meetingId, req.params.itemId));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/meetings/:id/agenda/:itemId/documents',
    {
      schema: { tags: ['agenda'], params: ItemParams, body: AttachDocumentBody, response: { 201: AgendaItemSchema, ...errors } },
    },
    async (req, reply) => {
      const item = await edit(req, (tx, t, meetingId) =>
        attachDocument(tx, t, meetingId, req.params.itemId, req.body.documentId),
      );
      return reply.status(201).send(item);
    },
  );

  app.delete(
    '/api/meetings/:id/agenda/:itemId/documents/:documentId',
    {
      schema: { tags: ['agenda'], params: ItemDocParams, response: { 200: AgendaItemSchema, ...errors } },
    },
    async (req) => {
      return edit(req, (tx, t, meetingId) => detachDocument(tx, t, meetingId, req.params.itemId, req.params.documentId));
    },
  );
};
export default agendaRoutes;
