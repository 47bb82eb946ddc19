// What the document routes share about confidential documents (tài liệu mật): the watermark a
// reader's copy carries, and the audit entry every open leaves (services/audit: the same trail the
// administrators read, action "document.open").
import type { FastifyRequest } from 'fastify';
import { recordAuditAlone, type AuditEntry } from '../../services/audit';
import type { Store } from '../../db/store';
import { watermarkTime } from '../../services/confidential-copies';
import type { StoredDocument } from '../../services/documents';
import { CONFIDENTIALITY_STAMP, type ConfidentialityLevel } from '../../../shared/confidential';

/**
 * The lines on a member's copy: their full name, then their unit (đơn vị, DOMAIN.md: name, unit,
 * date-time) when the account has one, then their account, the level and when the copy was made.
 */
export function memberWatermark(user: { fullName: string; username: string; unit?: string | null }, level: ConfidentialityLevel) {
  const unit = user.unit?.trim();
  return (madeAt: Date) => [
    user.fullName,
    ...(unit ? [unit.slice(0, 120)] : []),
    `${user.username} · ${CONFIDENTIALITY_STAMP[level]} · ${watermarkTime(madeAt)}`,
  ];
}

/** The room screen's copy: it names the screen and the meeting, since no person is signed in there. */
export function roomWatermark(meetingTitle: string, level: ConfidentialityLevel) {
  return (madeAt: Date) => [
    'Màn hình phòng họp',
    `${meetingTitle.slice(0, 80)} · ${CONFIDENTIALITY_STAMP[level]} · ${watermarkTime(madeAt)}`,
  ];
}

/**
 * An open, as opposed to the viewer's following Range requests: a request for the whole file, or
 * for a range from its first byte (the viewer's first request). The tail the viewer asks for beside
 * it is a suffix range, not counted.
 */
export function isFirstRead(req: FastifyRequest): boolean {
  const range = req.headers.range;
  return !range || range.trim().startsWith('bytes=0-');
}

type OpenEvent = {
  user: { id: string; username: string } | null;
  actorName?: string;
  doc: StoredDocument;
  variant: 'original' | 'watermarked';
  outcome: 'ok' | 'refused';
};

function openEntry(req: FastifyRequest, e: OpenEvent): AuditEntry {
  return {
    actorId: e.user?.id ?? null,
    actorName: e.user?.username ?? e.actorName ?? null,
    action: 'document.open',
    meetingId: e.doc.meetingId,
    outcome: e.outcome,
    code: e.outcome === 'refused' ? 'CONFIDENTIAL_DOCUMENT' : null,
    details: {
      ip: req.ip,
      documentId: e.doc.id,
      confidentiality: e.doc.confidentiality,
      variant: e.variant,
      range: req.headers.range ?? null,
    },
  };
}

/** Records an open of a confidential document; a failed audit write is logged, never the reader's error. */
export async function auditDocumentOpen(database: Store, req: FastifyRequest, e: OpenEvent): Promise<void> {
  try {
    await recordAuditAlone(database, openEntry(req, e));
  } catch (err) {
    req.log.error({ err }, 'audit write failed');
  }
}
