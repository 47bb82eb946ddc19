// In-app notifications (server/notifications): HTTP shapes and the socket message, shared by both sides.
// A notification carries a `kind` and its `params`, never a rendered sentence: the client renders it
// in the reader's language (client/src/notifications), the e-mail channel in Vietnamese and English.
import Type from 'typebox';

/** dotted lower-case words: `invitation.issued`, `document.published`, `task.assigned` … */
export const NOTIFICATION_KIND_PATTERN = '^[a-z][a-z0-9]*(\\.[a-z][a-z0-9-]*)+$';
export const NotificationParamsSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Null()]));
export type NotificationParams = Type.Static<typeof NotificationParamsSchema>;

export const NotificationSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  meetingId: Type.Union([Type.String(), Type.Null()]),
  params: NotificationParamsSchema,
  /** an in-app path to open (/meetings/…) */
  link: Type.String(),
  createdAt: Type.String(),
  readAt: Type.Union([Type.String(), Type.Null()]),
});
export type Notification = Type.Static<typeof NotificationSchema>;

export const NotificationListQuery = Type.Object(
  {
    /** the `next` of the previous page */
    before: Type.Optional(Type.String({ maxLength: 80 })),
    /** 1–100 (a query string: digits) */
    limit: Type.Optional(Type.String({ pattern: '^(100|[1-9][0-9]?)$' })),
  },
  { additionalProperties: false },
);
export const NotificationPage = Type.Object({
  items: Type.Array(NotificationSchema),
  unread: Type.Integer(),
  /** pass as `before` for the next (older) page; null at the end */
  next: Type.Union([Type.String(), Type.Null()]),
});
export type NotificationPage = Type.Static<typeof NotificationPage>;
export const UnreadCount = Type.Object({ unread: Type.Integer() });
export type UnreadCount = Type.Static<typeof UnreadCount>;
export const NotificationIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** server → client socket message `notification`: one new notification and the recipient's unread count */
export interface NotificationPush {
  notification: Notification;
  unread: number;
}
