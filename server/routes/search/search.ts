// GET /api/search?q=…: meetings, agenda items, documents (by page), minutes and conclusions the
// caller may see (server/search; the rights are the meetings' own: members, or an administrator).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse } from '../../../shared/api';
import { SearchQuery, SearchResponse } from '../../../shared/search-api';
import { currentUser } from '../../plugins/auth';

const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search what one may see',
        querystring: SearchQuery,
        response: { 200: SearchResponse, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (req) => {
      const user = currentUser(req);
      const query = req.query.q.normalize('NFC').trim();
      return { query, hits: await app.searchEngine.search({ id: user.id, isAdmin: user.isAdmin }, query, req.query.limit ?? 20) };
    },
  );
};
export default searchRoutes;
