// Accounts are managed by a system administrator (quản trị); everything else is per-meeting role.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { AdminUserList, AdminUserSchema, CreateUserBody, ErrorResponse, IdParams, UpdateUserBody } from '../../../shared/api';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import {
  createUser,
  deleteUser,
  findUserById,
  listUsers,
  toAdminUser,
  updateUser,
  type DirectoryOwnedRoles,
} from '../../services/users';

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse };

const requireAdmin = (req: FastifyRequest) => {
  const user = currentUser(req);
  if (!user.isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator manages accounts');
  return user;
};

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/users', { schema: { tags: ['users'], response: { 200: AdminUserList, ...errors } } }, async (req) => {
    requireAdmin(req);
    return (await app.database.read(listUsers)).map(toAdminUser);
  });

  // the roles a directory's configured groups decide for its accounts (LDAP_*_GROUP_DN, OIDC_*_GROUP)
  const directoryRoles = (source: string): DirectoryOwnedRoles => {
    const c = app.config;
    if (source === 'ldap') return { isAdmin: !!c.ldap?.adminGroupDn, isOrganiser: !!c.ldap?.organiserGroupDn };
    if (source === 'oidc') return { isAdmin: !!c.oidc?.adminGroup, isOrganiser: !!c.oidc?.organiserGroup };
    return { isAdmin: false, isOrganiser: false };
  };

  app.post(
    '/api/users',
    { schema: { tags: ['users'], body: CreateUserBody, response: { 201: AdminUserSchema, ...errors } } },
    async (req, reply) => {
      const admin = requireAdmin(req);
      const user = await createUser(app.database, req.body);
      req.log.info({ audit: 'user.create', userId: user.id, by: admin.id }, 'user created');
      return reply.status(201).send(toAdminUser(user));
    },
  );

  app.patch(
    '/api/users/:id',
    {
      schema: { tags: ['users'], params: IdParams, body: UpdateUserBody, response: { 200: AdminUserSchema, ...errors } },
    },
    async (req) => {
      const admin = requireAdmin(req);
      if (req.params.id === admin.id && req.body.isAdmin === false)
        throw new AppError('CONFLICT', 'An administrator cannot remove their own rights');
      const id = req.params.id;
      const source = (await app.database.read((q, t) => findUserById(q, t, id)))?.authSource ?? 'local';
      const user = await updateUser(app.database, req.params.id, req.body, directoryRoles(source));
      // a new password ended every session of the user (services/users): their open sockets too
      if (req.body.password !== undefined) app.revocation.userEnded(user.id, 'password-changed');
      else if (req.body.isAdmin !== undefined) app.revocation.userChanged(user.id);
      req.log.info({ audit: 'user.update', userId: user.id, fields: Object.keys(req.body), by: admin.id }, 'user updated');
      return toAdminUser(user);
    },
  );

  app.delete(
    '/api/users/:id',
    {
      schema: { tags: ['users'], params: IdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (req, reply) => {
      const admin = requireAdmin(req);
      if (req.params.id === admin.id) throw new AppError('CONFLICT', 'An administrator cannot delete their own account');
      await deleteUser(app.database, req.params.id);
      app.revocation.userEnded(req.params.id, 'account-deleted');
      req.log.info({ audit: 'user.delete', userId: req.params.id, by: admin.id }, 'user deleted');
      return reply.status(204).send(null);
    },
  );
};
export default userRoutes;
