import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';

const health: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/health', {
    schema: { tags: ['system'], response: { 200: Type.Object({ status: Type.Literal('ok') }) } },
  }, async () => ({ status: 'ok' as const }));
};
export default health;
