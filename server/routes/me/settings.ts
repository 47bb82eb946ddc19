// The caller's display settings (larger text, high contrast), kept on the server so they follow the
// person to any device (issue 19). Only one's own: there is no id in the path.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DisplaySettingsSchema, ErrorResponse } from '../../../shared/api';
import { currentUser } from '../../plugins/auth';
import { getDisplaySettings, setDisplaySettings } from '../../services/display-settings';

const errors = { 400: ErrorResponse, 401: ErrorResponse };

const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/me/settings',
    {
      schema: { tags: ['me'], summary: 'One’s display settings', response: { 200: DisplaySettingsSchema, ...errors } },
    },
    async (req) => {
      const id = currentUser(req).id;
      return app.database.read((q, t) => getDisplaySettings(q, t, id));
    },
  );

  app.put(
    '/api/me/settings',
    {
      schema: {
        tags: ['me'],
        summary: 'Change one’s display settings',
        body: DisplaySettingsSchema,
        response: { 200: DisplaySettingsSchema, ...errors },
      },
    },
    async (req) => setDisplaySettings(app.database, currentUser(req).id, req.body),
  );
};
export default settingsRoutes;
