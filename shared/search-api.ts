// Search across what the caller may see (server/search): one schema per payload for both sides.
import Type from 'typebox';

export const SEARCH_KINDS = ['meeting', 'agenda', 'document', 'minutes', 'conclusion', 'opinion'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const MAX_SEARCH_QUERY = 200;

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: MAX_SEARCH_QUERY }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);

/** A piece of a snippet: `hit` marks words the query matched (the client wraps them in <mark>). */
export const SearchSegmentSchema = Type.Object({ text: Type.String(), hit: Type.Optional(Type.Boolean()) });
export type SearchSegment = Type.Static<typeof SearchSegmentSchema>;

export const SearchHitSchema = Type.Object({
  kind: Type.Union([
    Type.Literal('meeting'),
    Type.Literal('agenda'),
    Type.Literal('document'),
    Type.Literal('minutes'),
    Type.Literal('conclusion'),
    Type.Literal('opinion'),
  ]),
  meetingId: Type.String(),
  meetingTitle: Type.String(),
  /** the agenda item (agenda, an item's minutes or conclusion) */
  itemId: Type.Union([Type.String(), Type.Null()]),
  /** the document (kind 'document') */
  documentId: Type.Union([Type.String(), Type.Null()]),
  /** the minutes field the text is in (kinds 'minutes', 'conclusion': 'conclusions', 'item:<id>:conclusion', …) */
  minutesKey: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** the written-opinion request (kind 'opinion') */
  opinionId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** the page of the document where the text was found; null for its title */
  page: Type.Union([Type.Integer(), Type.Null()]),
  title: Type.String(),
  snippet: Type.Array(SearchSegmentSchema),
});
export type SearchHit = Type.Static<typeof SearchHitSchema>;

export const SearchResponse = Type.Object({
  query: Type.String(),
  hits: Type.Array(SearchHitSchema),
});
export type SearchResult = Type.Static<typeof SearchResponse>;
