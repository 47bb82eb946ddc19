// What an e-mail says for each notification kind. The in-app text is the client's (i18n tables);
// an e-mail has no reader's language to ask, so it carries Vietnamese first, then English.
// Features add their kinds here; an unknown kind still gets a generic message with its link.
import type { NotificationParams } from '../../shared/notifications-api';

interface MailText { subject: string; lines: string[] }
type Render = (p: NotificationParams) => { vi: MailText; en: MailText };

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export const MAIL_TEXTS: Record<string, Render> = {
  'invitation.issued': (p) => ({
    vi: { subject: `Giấy mời họp: ${s(p.title)}`, lines: [`Số: ${s(p.number)}`, `Thời gian: ${s(p.when)}`, `Địa điểm: ${s(p.location)}`, 'Vui lòng trả lời giấy mời trong Họp Số.'] },
    en: { subject: `Meeting invitation: ${s(p.title)}`, lines: [`No.: ${s(p.number)}`, `When: ${s(p.when)}`, `Where: ${s(p.location)}`, 'Please reply to the invitation in Họp Số.'] },
  }),
  'invitation.changed': (p) => ({
    vi: { subject: `Thông báo thay đổi giấy mời: ${s(p.title)}`, lines: [`Số: ${s(p.number)}`, `Thay đổi: ${s(p.changesVi)}`, `Thời gian: ${s(p.when)}`, `Địa điểm: ${s(p.location)}`] },
    en: { subject: `Invitation changed: ${s(p.title)}`, lines: [`No.: ${s(p.number)}`, `Changed: ${s(p.changesEn)}`, `When: ${s(p.when)}`, `Where: ${s(p.location)}`] },
  }),
  'task.assigned': (p) => ({
    vi: { subject: `Giao nhiệm vụ: ${s(p.title)}`, lines: [`Hạn hoàn thành: ${s(p.deadline)}`, 'Vui lòng báo cáo tiến độ trong Họp Số.'] },
    en: { subject: `Task assigned: ${s(p.title)}`, lines: [`Deadline: ${s(p.deadline)}`, 'Please report progress in Họp Số.'] },
  }),
  'task.due': (p) => ({
    vi: { subject: `Sắp đến hạn nhiệm vụ: ${s(p.title)}`, lines: [`Hạn hoàn thành: ${s(p.deadline)}`] },
    en: { subject: `Task due soon: ${s(p.title)}`, lines: [`Deadline: ${s(p.deadline)}`] },
  }),
};

/** Subject and plain-text body of the e-mail for one notification; `url` is the absolute link into the app. */
export function mailText(kind: string, params: NotificationParams, url: string): { subject: string; body: string } {
  const t = MAIL_TEXTS[kind]?.(params) ?? {
    vi: { subject: 'Thông báo mới từ Họp Số', lines: [] },
    en: { subject: 'New notification from Họp Số', lines: [] },
  };
  const body = [
    ...t.vi.lines, '', `Mở trong Họp Số: ${url}`, '', '—', t.en.subject, ...t.en.lines, '', `Open in Họp Số: ${url}`, '',
  ].join('\n');
  return { subject: `${t.vi.subject} / ${t.en.subject}`, body };
}
