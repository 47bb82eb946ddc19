// Dates are shown in Vietnam's time zone: meetings happen there, whatever the device's clock says.
import { locale, type Language } from './i18n';

export function formatMeetingTime(iso: string | null, lang: Language): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return null;
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: 'long',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'Asia/Ho_Chi_Minh',
  }).format(d);
}
