import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ErrorResponse, Id } from '../../../shared/api';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import { listAudit } from '../../services/audit';

const AuditEntrySchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  meetingId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Enum(['ok', 'refused']),
  code: Type.Union([Type.String(), Type.Null()]),
  details: Type.Unknown(),
});

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/admin/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'The audit trail, newest first (administrators only)',
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
            before: Type.Optional(Type.String({ format: 'date-time' })),
            meetingId: Type.Optional(Id),
            actorId: Type.Optional(Id),
            outcome: Type.Optional(Type.Enum(['ok', 'refused'])),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ entries: Type.Array(AuditEntrySchema) }),
          400: ErrorResponse,
          401: ErrorResponse,
          403: ErrorResponse,
        },
      },
    },
    async (req) => {
      if (!currentUser(req).isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator reads the audit trail');
      const { limit, ...rest } = req.query;
      const filter = { ...rest, limit: Math.min(1000, Math.max(1, Number(limit ?? 200))) };
      const rows = await app.database.read((q, t) => listAudit(q, t, filter));
      return { entries: rows.map((r) => ({ ...r, details: JSON.parse(r.details) as unknown })) };
    },
  );
};
export default auditRoutes;
