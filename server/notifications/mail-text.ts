// What an e-mail says for each notification kind. The in-app text is the client's (i18n tables);
// an e-mail has no reader's language to ask, so it carries Vietnamese first, then English.
// Features add their kinds here; an unknown kind still gets a generic message with its link.
import type { NotificationParams } from '../../shared/notifications-api';

interface MailText {
  subject: string;
  lines: string[];
}
type Render = (p: NotificationParams) => { vi: MailText; en: MailText };

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export const MAIL_TEXTS: Record<string, Render> = {
  'invitation.issued': (p) => ({
    vi: {
      subject: `Giấy mời họp: ${s(p.title)}`,
      lines: [
        `Số: ${s(p.number)}`,
        `Thời gian: ${s(p.when)}`,
        `Địa điểm: ${s(p.location)}`,
        'Vui lòng trả lời giấy mời trong Họp Số.',
      ],
    },
    en: {
      subject: `Meeting invitation: ${s(p.title)}`,
      lines: [
        `No.: ${s(p.number)}`,
        `When: ${s(p.when)}`,
        `Where: ${s(p.location)}`,
        'Please reply to the invitation in Họp Số.',
      ],
    },
  }),
  'invitation.changed': (p) => ({
    vi: {
      subject: `Thông báo thay đổi giấy mời: ${s(p.title)}`,
      lines: [`Số: ${s(p.number)}`, `Thay đổi: ${s(p.changesVi)}`, `Thời gian: ${s(p.when)}`, `Địa điểm: ${s(p.location)}`],
    },
    en: {
      subject: `Invitation changed: ${s(p.title)}`,
      lines: [`No.: ${s(p.number)}`, `Changed: ${s(p.changesEn)}`, `When: ${s(p.when)}`, `Where: ${s(p.location)}`],
    },
  }),
  'substitute.approved': (p) => ({
    vi: {
      subject: `Được duyệt dự họp thay: ${s(p.title)}`,
      lines: [`Bạn dự họp thay ${s(p.member)}.`, `Thời gian: ${s(p.when)}`, `Địa điểm: ${s(p.location)}`],
    },
    en: {
      subject: `Approved to attend: ${s(p.title)}`,
      lines: [`You attend for ${s(p.member)}.`, `When: ${s(p.when)}`, `Where: ${s(p.location)}`],
    },
  }),
  'substitute.approved.member': (p) => ({
    vi: { subject: `Đã duyệt người dự họp thay: ${s(p.title)}`, lines: [`${s(p.substitute)} dự họp thay bạn.`] },
    en: { subject: `Substitute approved: ${s(p.title)}`, lines: [`${s(p.substitute)} attends for you.`] },
  }),
  'substitute.refused': (p) => ({
    vi: {
      subject: `Không được duyệt dự họp thay: ${s(p.title)}`,
      lines: [`Bạn không dự họp thay ${s(p.member)}.`, ...(p.reason ? [`Lý do: ${s(p.reason)}`] : [])],
    },
    en: {
      subject: `Not approved to attend: ${s(p.title)}`,
      lines: [`You do not attend for ${s(p.member)}.`, ...(p.reason ? [`Reason: ${s(p.reason)}`] : [])],
    },
  }),
  'substitute.refused.member': (p) => ({
    vi: {
      subject: `Không duyệt người dự họp thay: ${s(p.title)}`,
      lines: [
        `${s(p.substitute)} không được duyệt dự thay bạn.`,
        ...(p.reason ? [`Lý do: ${s(p.reason)}`] : []),
        'Vui lòng trả lời lại giấy mời trong Họp Số.',
      ],
    },
    en: {
      subject: `Substitute not approved: ${s(p.title)}`,
      lines: [
        `${s(p.substitute)} was not approved to attend for you.`,
        ...(p.reason ? [`Reason: ${s(p.reason)}`] : []),
        'Please reply to the invitation again in Họp Số.',
      ],
    },
  }),
  'document.published': (p) => ({
    vi: {
      subject: `Tài liệu họp: ${s(p.title)}`,
      lines: [
        `Cuộc họp: ${s(p.meeting)}`,
        `Tài liệu: ${s(p.title)} (lần ${s(p.version)})`,
        'Vui lòng đọc trước cuộc họp trong Họp Số.',
      ],
    },
    en: {
      subject: `Meeting document: ${s(p.title)}`,
      lines: [
        `Meeting: ${s(p.meeting)}`,
        `Document: ${s(p.title)} (version ${s(p.version)})`,
        'Please read it in Họp Số before the meeting.',
      ],
    },
  }),
  'document.reminder': (p) => ({
    vi: {
      subject: `Nhắc đọc tài liệu: ${s(p.title)}`,
      lines: [`Cuộc họp: ${s(p.meeting)}`, `Bạn chưa mở tài liệu "${s(p.title)}".`],
    },
    en: {
      subject: `Reminder to read: ${s(p.title)}`,
      lines: [`Meeting: ${s(p.meeting)}`, `You have not opened "${s(p.title)}" yet.`],
    },
  }),
  'opinion.reminder': (p) => ({
    vi: {
      subject: `Nhắc trả lời xin ý kiến: ${s(p.title)}`,
      lines: [`Hạn trả lời: ${s(p.deadline)}`, 'Bạn chưa ký xác nhận ý kiến.'],
    },
    en: {
      subject: `Reminder, written opinions: ${s(p.title)}`,
      lines: [`Answer by: ${s(p.deadline)}`, 'You have not signed your answers yet.'],
    },
  }),
  'opinion.requested': (p) => ({
    vi: {
      subject: `Xin ý kiến bằng văn bản: ${s(p.title)}`,
      lines: [`Cuộc họp: ${s(p.meeting)}`, `Hạn trả lời: ${s(p.deadline)}`, 'Vui lòng trả lời và ký xác nhận trong Họp Số.'],
    },
    en: {
      subject: `Written opinions requested: ${s(p.title)}`,
      lines: [`Meeting: ${s(p.meeting)}`, `Answer by: ${s(p.deadline)}`, 'Please answer and sign in Họp Số.'],
    },
  }),
  'task.assigned': (p) => ({
    vi: {
      subject: `Giao nhiệm vụ: ${s(p.title)}`,
      lines: [`Hạn hoàn thành: ${s(p.deadline)}`, 'Vui lòng báo cáo tiến độ trong Họp Số.'],
    },
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
    ...t.vi.lines,
    '',
    `Mở trong Họp Số: ${url}`,
    '',
    '—',
    t.en.subject,
    ...t.en.lines,
    '',
    `Open in Họp Số: ${url}`,
    '',
  ].join('\n');
  return { subject: `${t.vi.subject} / ${t.en.subject}`, body };
}
