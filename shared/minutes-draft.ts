// The minutes (biên bản) while they are written: what the secretary types, field by field, as
// `minutes.update` commands on the meeting's log (so every edit is on the hash chain and reaches
// readers live), and the lifecycle the server records on the same log: finalised, signed by the
// secretary, signed by the chair, reopened as a new version for a correction.
//
// Concurrency: each field has its own version. An update names the version it was typed against
// (`baseVersion`); a stale one is refused with CONFLICT, so two editors (the secretary, and the chair
// writing a conclusion) never silently overwrite each other, while edits to different fields never
// collide. Everything auto-filled (time, attendance, speakers, votes) is not stored here: it is
// rebuilt from the log whenever the minutes are shown or rendered.
import Type from 'typebox';
import { Id } from './api';

export const MAX_MINUTES_TEXT = 200_000;

/** Fields of the whole minutes, and fields per agenda item / per speaker turn. */
export const MINUTES_GENERAL_FIELDS = [
  'number',
  'place',
  'subject',
  'parentAgency',
  'unitName',
  'copies',
  'conclusions',
] as const;
export const MINUTES_ITEM_FIELDS = ['discussion', 'conclusion'] as const;
export type MinutesGeneralField = (typeof MINUTES_GENERAL_FIELDS)[number];
/**
 * The header fields' length limits, as the printed header has room for them (Decree 30 layout): the
 * server refuses longer text with INVALID and the editor stops typing there, rather than the PDF
 * silently cutting it.
 */
export const MINUTES_HEADER_MAX: Readonly<Record<Exclude<MinutesGeneralField, 'conclusions'>, number>> = {
  parentAgency: 200,
  unitName: 200,
  number: 100,
  place: 100,
  subject: 1000,
  copies: 2,
};
export type MinutesItemField = (typeof MINUTES_ITEM_FIELDS)[number];
/** 'speaker': the secretary's summary of one turn at the floor (floor request id) */
export type MinutesField = MinutesGeneralField | MinutesItemField | 'speaker';

export const MinutesUpdateSchema = Type.Object(
  {
    field: Type.Union([
      Type.Literal('number'),
      Type.Literal('place'),
      Type.Literal('subject'),
      Type.Literal('parentAgency'),
      Type.Literal('unitName'),
      Type.Literal('copies'),
      Type.Literal('conclusions'),
      Type.Literal('discussion'),
      Type.Literal('conclusion'),
      Type.Literal('speaker'),
    ]),
    /** the agenda item, for discussion / conclusion */
    itemId: Type.Optional(Id),
    /** the floor request (a speaker's turn), for speaker */
    requestId: Type.Optional(Id),
    text: Type.String({ maxLength: MAX_MINUTES_TEXT }),
    /** the field's version the text was typed against (0 for a field never written) */
    baseVersion: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type MinutesUpdate = Type.Static<typeof MinutesUpdateSchema>;

/**
 * Số bản as the secretary types it: 1 to 99, with or without a leading zero ("05" is how the PDF
 * prints it anyway, "05 bản"); surrounding spaces ignored. Null when it is not such a number.
 * One rule for the server's check, the client's check before saving and the PDF.
 */
export function parseCopies(text: string): number | null {
  const m = /^0?([1-9][0-9]?)$/.exec(text.trim());
  return m ? Number(m[1]) : null;
}

export const MinutesCommandSchemas = {
  'minutes.update': MinutesUpdateSchema,
} as const;

export type MinutesStatus = 'draft' | 'final' | 'signed_secretary' | 'signed_all';
export type MinutesSignerRole = 'secretary' | 'chair';

export interface MinutesEventPayloads {
  'minutes.update': { key: string; field: MinutesField; itemId?: string; requestId?: string; text: string; version: number };
  /** recorded by the server when the secretary finalises: the PDF's hash and the log head it carries */
  'minutes.finalize': { version: number; sha256: string; headHash: string; headSeq: number; pageCount: number };
  'minutes.sign': { version: number; role: MinutesSignerRole; signerName: string; signedAt: string; sha256: string };
  /** a correction: a new version, back to draft, signatures reset */
  'minutes.revise': { version: number };
}

export const MINUTES_EVENT_TYPES: ReadonlySet<string> = new Set<keyof MinutesEventPayloads>([
  'minutes.update',
  'minutes.finalize',
  'minutes.sign',
  'minutes.revise',
]);

export interface MinutesFieldState {
  text: string;
  version: number;
  by: string;
  at: string;
}

export interface MinutesDraftState {
  status: MinutesStatus;
  /** the minutes version being written or signed (1 for the first) */
  version: number;
  /** by key (minutesFieldKey) */
  fields: Record<string, MinutesFieldState>;
  /** the finalised PDF of this version, when there is one */
  final: { sha256: string; headHash: string; headSeq: number; pageCount: number; at: string } | null;
  signatures: { role: MinutesSignerRole; signerName: string; signedAt: string }[];
}

export const initialMinutesState = (): MinutesDraftState => ({
  status: 'draft',
  version: 1,
  fields: {},
  final: null,
  signatures: [],
});

/** "number", "item:<id>:discussion", "speaker:<requestId>": one key per editable text. */
export function minutesFieldKey(u: { field: MinutesField; itemId?: string; requestId?: string }): string | null {
  if ((MINUTES_GENERAL_FIELDS as readonly string[]).includes(u.field)) return u.itemId || u.requestId ? null : u.field;
  if ((MINUTES_ITEM_FIELDS as readonly string[]).includes(u.field))
    return u.itemId && !u.requestId ? `item:${u.itemId}:${u.field}` : null;
  if (u.field === 'speaker') return u.requestId && !u.itemId ? `speaker:${u.requestId}` : null;
  return null;
}

export const fieldText = (m: MinutesDraftState, key: string): string => m.fields[key]?.text ?? '';
export const fieldVersion = (m: MinutesDraftState, key: string): number => m.fields[key]?.version ?? 0;

type MinutesEvent = {
  [K in keyof MinutesEventPayloads]: { type: K; actor: string; at: string; payload: MinutesEventPayloads[K] };
}[keyof MinutesEventPayloads];

/** Folds one minutes.* event (already checked by the server). */
export function applyMinutesEvent(m: MinutesDraftState, e: MinutesEvent): MinutesDraftState {
  switch (e.type) {
    case 'minutes.update':
      return {
        ...m,
        fields: { ...m.fields, [e.payload.key]: { text: e.payload.text, version: e.payload.version, by: e.actor, at: e.at } },
      };
    case 'minutes.finalize': {
      const { sha256, headHash, headSeq, pageCount } = e.payload;
      return {
        ...m,
        status: 'final',
        version: e.payload.version,
        final: { sha256, headHash, headSeq, pageCount, at: e.at },
        signatures: [],
      };
    }
    case 'minutes.sign':
      return {
        ...m,
        status: e.payload.role === 'secretary' ? 'signed_secretary' : 'signed_all',
        signatures: [...m.signatures, { role: e.payload.role, signerName: e.payload.signerName, signedAt: e.payload.signedAt }],
      };
    case 'minutes.revise':
      return { ...m, status: 'draft', version: e.payload.version, final: null, signatures: [] };
  }
}
