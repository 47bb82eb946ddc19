// The administrators' status page: live meetings and locks (database), the people connected to THIS process
// (sockets live in a process; with several processes each answers for its own, named by pid), and
// versions. Administrators only; nothing here changes anything.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { ErrorResponse } from '../../../shared/api';
import { AdminStatusSchema, type AdminStatus } from '../../../shared/admin-api';
import { PROTOCOL_VERSION } from '../../../shared/events';
import { loginThrottles, meetings, minutesSigningRequests, users } from '../../db/schema';
import { nowIso } from '../../ids';
import { currentUser } from '../../plugins/auth';
import { AppError } from '../../errors';
import { rooms } from '../../live/visibility';
import { migrationsFolder } from '../../locate';
import pkg from '../../../package.json';

const startedAt = new Date().toISOString();

const statusRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
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
      const applied = app.db.get<{ n: number; newest: number | null }>(
        sql`select count(*) as n, max(created_at) as newest from __drizzle_migrations`,
      );
      const latest = journal.entries.find((e) => e.when === Number(applied?.newest))?.tag ?? 'unknown';
      const live = app.db
        .select({ id: meetings.id, title: meetings.title, status: meetings.status })
        .from(meetings)
        .where(inArray(meetings.status, ['running', 'paused']))
        .orderBy(meetings.title)
        .all();
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
        for (const u of app.db
          .select({ id: users.id, fullName: users.fullName })
          .from(users)
          .where(inArray(users.id, [...people.keys()]))
          .all()) {
          people.get(u.id)!.fullName = u.fullName;
        }
      }
      const now = nowIso();
      const loginBlocked = app.db
        .select({
          key: loginThrottles.key,
          kind: loginThrottles.kind,
          account: loginThrottles.account,
          source: loginThrottles.source,
          blockedUntil: loginThrottles.blockedUntil,
        })
        .from(loginThrottles)
        .where(gt(loginThrottles.blockedUntil, now))
        .orderBy(asc(loginThrottles.blockedUntil))
        .all();
      const pendingSignatures = app.db
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
        .orderBy(asc(minutesSigningRequests.expiresAt))
        .all();
      return {
        locks: { loginBlocked: loginBlocked.map((l) => ({ ...l, blockedUntil: l.blockedUntil! })), pendingSignatures },
        versions: {
          app: pkg.version,
          node: process.version,
          protocol: PROTOCOL_VERSION,
          migrations: applied?.n ?? 0,
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
