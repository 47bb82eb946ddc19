// The room screen (projector) has no personal login: it trades its room token for an httpOnly
// cookie scoped to /api/room, then reads what a follower needs — the meeting, its agenda and
// documents — and nothing else. Everything it may do is here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { ErrorResponse, IdParams, MeetingDetailSchema, type MeetingAbilities } from '../../../shared/api';
import { AppError } from '../../errors';
import { getMeeting } from '../../services/meetings';
import { listAgenda } from '../../services/agenda';
import { listDocuments } from '../../services/documents';
import { roomDocumentFor } from '../../services/document-access';
import { headOf } from '../../live/event-log';
import { listMembers } from '../../services/members';
import { FileQuery, asPinned, sendDocumentFile, wantsOriginal } from '../documents/send-document-file';
import { auditDocumentOpen, isFirstRead, roomWatermark } from '../documents/confidential-access';
import { DocumentAnnotationsSchema } from '../../../shared/annotations';
import { roomDocumentAnnotations } from '../../live/annotation-service';

const NO_ABILITIES: MeetingAbilities = {
  update: false,
  manageMembers: false,
  editAgenda: false,
  uploadDocument: false,
  createAccounts: false,
  controlMeeting: false,
  markAttendance: false,
  checkIn: false,
  issueRoomToken: false,
  recordBallots: false,
  approveSubstitute: false,
  askOpinions: false,
  draftCountingReport: false,
  annotate: false,
  annotateShared: false,
  eraseOthersMarks: false,
  requestFloor: false,
  castBallot: false,
};
const ROOM_COOKIE = 'hs_room';
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

const roomRoutes: FastifyPluginAsyncTypebox = async (app) => {
  /** The meeting the request's room cookie opens. */
  const roomMeeting = (req: FastifyRequest): string => {
    const token = req.cookies[ROOM_COOKIE];
    const meetingId = token && token.length <= 300 ? app.live.tokens.verifyRoomToken(token) : null;
    if (!meetingId) throw new AppError('UNAUTHENTICATED', 'The room screen link is not valid or has expired');
    return meetingId;
  };

  app.post(
    '/api/room/session',
    {
      schema: {
        tags: ['room'],
        summary: 'Room screen: exchange a room token for a read-only cookie',
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 300 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ meetingId: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      const meetingId = app.live.tokens.verifyRoomToken(req.body.token);
      if (!meetingId) throw new AppError('UNAUTHENTICATED', 'The room screen link is not valid or has expired');
      const exp = Number(req.body.token.split('.')[1]) * 1000;
      reply.setCookie(ROOM_COOKIE, req.body.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: app.config.production,
        path: '/api/room',
        expires: new Date(exp),
      });
      return { meetingId };
    },
  );

  app.get(
    '/api/room/meeting',
    {
      schema: { tags: ['room'], response: { 200: MeetingDetailSchema, ...errors } },
    },
    async (req) => {
      const meetingId = roomMeeting(req);
      return app.database.read(async (q, t) => ({
        meeting: await getMeeting(q, t, meetingId, null),
        abilities: NO_ABILITIES, // the room screen only shows
        agenda: await listAgenda(q, t, meetingId, { drafts: false }),
        // the room shows the members' documents: no drafts
        documents: await listDocuments(q, t, meetingId, { drafts: false }),
        members: await listMembers(q, t, meetingId),
      }));
    },
  );

  app.get(
    '/api/room/documents/:id/annotations',
    {
      schema: {
        tags: ['room'],
        summary: "Room screen: a document's shared and presenter marks (never anyone's private ones)",
        params: IdParams,
        response: { 200: DocumentAnnotationsSchema, ...errors },
      },
    },
    async (req) => {
      const meetingId = roomMeeting(req);
      return app.database.read(async (q, t) => {
        const doc = await roomDocumentFor(q, t, meetingId, req.params.id); // the room shows no drafts
        const { seq } = await headOf(q, t, meetingId);
        return roomDocumentAnnotations(q, t, seq, doc);
      });
    },
  );

  app.get(
    '/api/room/documents/:id/file',
    {
      schema: {
        tags: ['room'],
        params: IdParams,
        querystring: FileQuery,
        response: { ...errors, 416: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (req, reply) => {
      const meetingId = roomMeeting(req);
      const found = await app.database.read((q, t) => roomDocumentFor(q, t, meetingId, req.params.id)); // the room shows no drafts
      const doc = asPinned(req, found); // as the member's route: a showing keeps the bytes it started on
      if (!doc.confidentiality) return sendDocumentFile(req, reply, app.store, doc);
      // a confidential document reaches the projector only while the chair shows it, marked as the
      // room screen's copy, never as the original
      const audit = (outcome: 'ok' | 'refused') =>
        auditDocumentOpen(app.database, req, { user: null, actorName: 'room-screen', doc, variant: 'watermarked', outcome });
      if ((await app.live.runtime.current(meetingId)).follow.documentId !== doc.id || wantsOriginal(req)) {
        await audit('refused');
        throw new AppError(
          'CONFIDENTIAL_DOCUMENT',
          'This confidential document is shown on the room screen only while the chair shows it',
        );
      }
      const copy = await app.confidentialCopies.copyFor(doc, {
        id: 'room',
        lines: roomWatermark((await app.database.read((q, t) => getMeeting(q, t, meetingId, null))).title, doc.confidentiality),
      });
      if (isFirstRead(req)) await audit('ok');
      return sendDocumentFile(req, reply, app.store, doc, copy);
    },
  );
};
export default roomRoutes;
