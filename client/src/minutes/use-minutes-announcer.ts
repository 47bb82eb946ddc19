// Screen readers hear new minutes text while the minutes are open: what someone else just wrote,
// once they pause (a burst of keystrokes into one text is one announcement, not one per save), and
// never one's own edits. The text is cut: enough to follow, not a page read aloud.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { MinutesDraftState } from '../../../shared/minutes-draft';
import { announce } from '../components/Announcer';

/** quiet time after the last change before it is read */
const PAUSE_MS = 2500;
const MAX_CHARS = 200;

export function useMinutesAnnouncer(minutes: MinutesDraftState | null, me: string): void {
  const { t } = useTranslation();
  const seen = useRef<Record<string, number> | null>(null);
  const pending = useRef<string | null>(null);
  useEffect(() => {
    if (!minutes) return;
    const fields = minutes.fields;
    if (seen.current === null) {
      // what was there when the panel opened is not news
      seen.current = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.version]));
      return;
    }
    let fresh: string | null = null;
    for (const [key, f] of Object.entries(fields)) {
      if ((seen.current[key] ?? 0) < f.version) {
        seen.current[key] = f.version;
        if (f.by !== me && f.text.trim() !== '') fresh = f.text.trim();
      }
    }
    if (fresh === null && pending.current === null) return;
    if (fresh !== null) pending.current = fresh;
    const timer = setTimeout(() => {
      const text = pending.current;
      pending.current = null;
      if (text === null) return;
      const cut = text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS)}…` : text;
      announce(t('minutes.announceUpdate', { text: cut }));
    }, PAUSE_MS);
    return () => clearTimeout(timer);
  }, [minutes, me, t]);
}
