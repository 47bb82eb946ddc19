// What one version of a giấy mời says: built from the meeting, its members, agenda and documents
// when an officer issues it, stored as JSON beside the PDF rendered from it (server/pdf/render-invitation.ts).
import type { InvitationChange } from '../../shared/invitations';

export interface InvitationDocument {
  organization: { parentAgency: string; unitName: string };
  /** Số/ký hiệu, e.g. 15/GM-UBND */
  number: string;
  /** địa danh before the date */
  place: string;
  /** issue date (ISO) */
  date: string;
  title: string;
  version: number;
  /** for a change notice (version 2…): what changed, and the number and date of the version it replaces */
  changes: InvitationChange[];
  replaces: { number: string; date: string } | null;
  /** Kính gửi: */
  recipients: string;
  startsAt: string;
  location: string;
  chair: string;
  participants: { fullName: string; role: string }[];
  agenda: { title: string; presenter: string | null }[];
  documents: string[];
  contact: string;
  signer: { title: string; fullName: string };
}

export const ROLE_LABEL_VI: Record<string, string> = {
  chair: 'Chủ trì',
  secretary: 'Thư ký',
  participant: 'Thành viên',
  guest: 'Khách mời',
  observer: 'Dự thính',
};
export const CHANGE_LABEL_VI: Record<InvitationChange, string> = {
  startsAt: 'thời gian',
  location: 'địa điểm',
  title: 'nội dung',
};
export const CHANGE_LABEL_EN: Record<InvitationChange, string> = { startsAt: 'time', location: 'place', title: 'subject' };
