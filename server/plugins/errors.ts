// One error shape everywhere: { error: { code, message, details? } }. 5xx never leak internals.
import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { AppError } from '../errors';
import type { ErrorCode } from '../../shared/errors';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'INVALID',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  416: 'RANGE_NOT_SATISFIABLE',
  429: 'RATE_LIMITED',
};

export default fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError | AppError | Error, req, reply) => {
      if (err instanceof AppError) {
        req.log.info({ code: err.code, url: req.url }, 'refused');
        return reply.status(err.status).send(err.toBody());
      }
      const fe = err as FastifyError;
      if (fe.validation) {
        const details = fe.validation.map((v) => ({ path: v.instancePath || v.params?.missingProperty, message: v.message }));
        return reply
          .status(400)
          .send({ error: { code: 'INVALID', message: `Invalid ${fe.validationContext ?? 'request'}: ${fe.message}`, details } });
      }
      const status = fe.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const code = CODE_BY_STATUS[status] ?? 'INVALID';
        return reply.status(status).send({ error: { code, message: fe.message } });
      }
      req.log.error({ err }, 'internal error');
      return reply.status(500).send({ error: { code: 'INTERNAL', message: 'Internal server error' } });
    });
  },
  { name: 'errors' },
);
