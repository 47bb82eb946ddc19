// The one Drizzle schema. Kept portable to PostgreSQL (DESIGN.md "Beyond one machine"): text ids,
// ISO timestamps as text, integers for counters, no SQLite-only column tricks.
import { sqliteTable, text, integer, primaryKey, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  username: text('username').notNull(),
  fullName: text('full_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  isAdmin: integer('is_admin', { mode: 'boolean' }).notNull().default(false),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: text('locked_until'),
  createdAt: text('created_at').notNull(),
}, (t) => [uniqueIndex('users_username_idx').on(t.username)]);

export const sessions = sqliteTable('sessions', {
  /** sha256 of the cookie token: a stolen database does not yield live sessions */
  id: text('id').primaryKey(),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  createdAt: text('created_at').notNull(),
  expiresAt: text('expires_at').notNull(),
}, (t) => [index('sessions_user_idx').on(t.userId)]);

export const meetings = sqliteTable('meetings', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  kind: text('kind', { enum: ['regular', 'briefing', 'thematic', 'extraordinary'] }).notNull().default('regular'),
  status: text('status', { enum: ['scheduled', 'running', 'paused', 'ended'] }).notNull().default('scheduled'),
  startsAt: text('starts_at'),
  location: text('location'),
  organization: text('organization'),
  createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const meetingMembers = sqliteTable('meeting_members', {
  meetingId: text('meeting_id').notNull().references(() => meetings.id, { onDelete: 'cascade' }),
  userId: text('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  role: text('role', { enum: ['chair', 'secretary', 'participant', 'guest', 'observer'] }).notNull(),
  addedAt: text('added_at').notNull(),
}, (t) => [primaryKey({ columns: [t.meetingId, t.userId] }), index('members_user_idx').on(t.userId)]);

export const agendaItems = sqliteTable('agenda_items', {
  id: text('id').primaryKey(),
  meetingId: text('meeting_id').notNull().references(() => meetings.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
  title: text('title').notNull(),
  presenterId: text('presenter_id').references(() => users.id, { onDelete: 'set null' }),
  durationMinutes: integer('duration_minutes'),
  createdAt: text('created_at').notNull(),
}, (t) => [index('agenda_meeting_idx').on(t.meetingId, t.position)]);

/** A document as uploaded to one meeting. The bytes live on disk, content-addressed by sha256. */
export const documents = sqliteTable('documents', {
  id: text('id').primaryKey(),
  meetingId: text('meeting_id').notNull().references(() => meetings.id, { onDelete: 'cascade' }),
  sha256: text('sha256').notNull(),
  filename: text('filename').notNull(),
  title: text('title'),
  pageCount: integer('page_count').notNull(),
  size: integer('size').notNull(),
  uploadedBy: text('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: text('created_at').notNull(),
}, (t) => [index('documents_meeting_idx').on(t.meetingId), index('documents_sha_idx').on(t.sha256)]);

export const agendaItemDocuments = sqliteTable('agenda_item_documents', {
  agendaItemId: text('agenda_item_id').notNull().references(() => agendaItems.id, { onDelete: 'cascade' }),
  documentId: text('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
  position: integer('position').notNull(),
}, (t) => [primaryKey({ columns: [t.agendaItemId, t.documentId] })]);

/**
 * The live meeting's record (DESIGN.md "The live meeting is an event log"): one row per accepted
 * command, hash-chained per meeting. `payload` is canonical JSON text, exactly what was hashed.
 */
export const meetingEvents = sqliteTable('meeting_events', {
  meetingId: text('meeting_id').notNull().references(() => meetings.id, { onDelete: 'cascade' }),
  seq: integer('seq').notNull(),
  type: text('type').notNull(),
  actor: text('actor').notNull(),
  payload: text('payload').notNull(),
  at: text('at').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [primaryKey({ columns: [t.meetingId, t.seq] })]);

/** Client command ids already accepted, so a retried command returns its first result. */
export const meetingCommands = sqliteTable('meeting_commands', {
  meetingId: text('meeting_id').notNull().references(() => meetings.id, { onDelete: 'cascade' }),
  commandId: text('command_id').notNull(),
  actor: text('actor').notNull(),
  seq: integer('seq').notNull(),
}, (t) => [uniqueIndex('meeting_commands_key_idx').on(t.meetingId, t.actor, t.commandId)]);
