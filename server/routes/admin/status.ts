// The administrators' status page: live meetings and locks (database), the people connected to THIS process
// (sockets live in a process; with several processes each answers for its own, named by pid), and
// versions. Administrators only; nothing here changes anything.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { ErrorResponse } from '../../../shared/api';
import { AdminStatusSchema, type AdminStatus } from '../../../shared/admin-api';
import { PROTOCOL_VERSION } from '../../../shared/events';
import { nowIso } from '../../ids';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import { rooms } from '../../live/visibility';
import { appliedMigrations, shippedMigrations } from '../../ops/migrations-state';
import pkg from '../../../package.json';

const startedAt = new Date().toISOString();

const statusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const journal = shippedMigrations(app.database.dialect);
  app.get(
    '/api/admin/status',
    {
      schema: {
        tags: ['admin'],
        summary: 'Live meetings, connected people, versions (administrators only)',
        response: { 200: AdminStatusSchema, 401: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (req): Promise<AdminStatus> => {
      if (!currentUser(req).isAdmin) throw new AppError('FORBIDDEN', 'Only an administrator sees the server status');
      const applied = await appliedMigrations(app.database);
      const latest = journal.entries.find((e) => e.when === applied.newest)?.tag ?? 'unknown';
      const { users, meetings, loginThrottles, minutesSigningRequests } = app.database.tables;
      const live = await app.database.read((q) =>
        q
          .select({ id: meetings.id, title: meetings.title, status: meetings.status })
          .from(meetings)
          .where(inArray(meetings.status, ['running', 'paused']))
          .orderBy(asc(meetings.title), asc(meetings.id)),
      );
      const roomSizes = app.io.of('/').adapter.rooms;
      const people = new Map<string, AdminStatus['connectedUsers'][number]>();
      let roomScreens = 0;
      for (const socket of app.io.of('/').sockets.values()) {
        const p = socket.data.principal;
        if (p?.kind !== 'user') {
          roomScreens++;
          continue;
        }
        const seen = people.get(p.user.id);
        if (seen) seen.sockets++;
        else people.set(p.user.id, { userId: p.user.id, username: p.user.username, fullName: p.user.username, sockets: 1 });
      }
      // names as they are now (a socket's copy of its user holds only what authorisation needs)
      if (people.size) {
        const names = await app.database.read((q) =>
          q
            .select({ id: users.id, fullName: users.fullName })
            .from(users)
            .where(inArray(users.id, [...people.keys()])),
        );
        for (const u of names) people.get(u.id)!.fullName = u.fullName;
      }
      const now = nowIso();
      const loginBlocked = await app.database.read((q) =>
        q
          .select({
            key: loginThrottles.key,
            kind: loginThrottles.kind,
            account: loginThrottles.account,
            source: loginThrottles.source,
            blockedUntil: loginThrottles.blockedUntil,
          })
          .from(loginThrottles)
          .where(gt(loginThrottles.blockedUntil, now))
          .orderBy(asc(loginThrottles.blockedUntil), asc(loginThrottles.key)),
      );
      const pendingSignatures = await app.database.read((q) =>
        q
          .select({
            id: minutesSigningRequests.id,
            meetingId: minutesSigningRequests.meetingId,
            meetingTitle: meetings.title,
            role: minutesSigningRequests.role,
            signer: users.fullName,
            expiresAt: minutesSigningRequests.expiresAt,
          })
          .from(minutesSigningRequests)
          .innerJoin(meetings, eq(meetings.id, minutesSigningRequests.meetingId))
          .innerJoin(users, eq(users.id, minutesSigningRequests.userId))
          .where(and(eq(minutesSigningRequests.status, 'pending'), gt(minutesSigningRequests.expiresAt, now)))
          .orderBy(asc(minutesSigningRequests.expiresAt), asc(minutesSigningRequests.id)),
      );
      return {
        locks: { loginBlocked: loginBlocked.map((l) => ({ ...l, blockedUntil: l.blockedUntil! })), pendingSignatures },
        versions: {
          app: pkg.version,
          node: process.version,
          protocol: PROTOCOL_VERSION,
          migrations: applied.n,
          latestMigration: latest,
        },
        process: { pid: process.pid, startedAt },
        liveMeetings: live.map((m) => ({
          id: m.id,
          title: m.title,
          status: m.status as 'running' | 'paused',
          sockets: roomSizes.get(rooms.meeting(m.id))?.size ?? 0,
        })),
        connectedUsers: [...people.values()].sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi')),
        roomScreens,
      };
    },
  );
};
export default statusRoutes;
