// The bell in the header: unread count, live over its own socket (the server's room `notify:<userId>`),
// and a panel listing notifications newest first. Keyboard: the bell toggles the panel, Escape closes
// it and returns focus to the bell, Tab moves through the items; touch: every item is a large button.
// Its own socket rather than a meeting's: the bell lives on every page, inside a meeting or not.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Bell } from 'lucide-react';
import { io, type Socket } from 'socket.io-client';
import { useTranslation } from 'react-i18next';
import { PROTOCOL_VERSION, type ClientToServerEvents, type ServerToClientEvents } from '../../../shared/events';
import type { Notification } from '../../../shared/notifications-api';
import { navigate } from '../router';
import { notificationsApi } from './notifications-api';

export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const bellRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    void notificationsApi
      .unread()
      .then((r) => setUnread(r.unread))
      .catch(() => undefined);
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ['websocket'],
      withCredentials: true,
      auth: { protocol: PROTOCOL_VERSION },
      reconnectionDelayMax: 10_000,
    });
    socket.on('notification', (m) => {
      setUnread(m.unread);
      setItems((list) => (list ? [m.notification, ...list.filter((n) => n.id !== m.notification.id)] : list));
    });
    // after a reconnect the count may have moved while we were away
    socket.io.on('reconnect', () => {
      void notificationsApi
        .unread()
        .then((r) => setUnread(r.unread))
        .catch(() => undefined);
    });
    return () => {
      socket.close();
    };
  }, []);

  const load = useCallback(async (before?: string) => {
    const page = await notificationsApi.list(before);
    setItems((list) => (before && list ? [...list, ...page.items] : page.items));
    setNext(page.next);
    setUnread(page.unread);
  }, []);

  useEffect(() => {
    if (!open) return;
    void load().catch(() => undefined);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        bellRef.current?.focus();
      }
    };
    const onDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!panelRef.current?.contains(target) && !bellRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onDown);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onDown);
    };
  }, [open, load]);

  const openItem = async (n: Notification) => {
    if (n.readAt === null) {
      const r = await notificationsApi.markRead(n.id).catch(() => null);
      if (r) setUnread(r.unread);
      setItems((list) => list?.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x)) ?? null);
    }
    setOpen(false);
    navigate(n.link);
  };
  const markAll = async () => {
    const r = await notificationsApi.markAllRead().catch(() => null);
    if (!r) return;
    setUnread(r.unread);
    setItems((list) => list?.map((x) => ({ ...x, readAt: x.readAt ?? new Date().toISOString() })) ?? null);
  };

  const text = (n: Notification) => {
    // the kind comes from the server, so its key is checked at run time: an unknown kind reads generically
    const key = `notifications.kind.${n.kind.replace(/\./g, '_')}`;
    return i18n.exists(key)
      ? String(t(key as 'notifications.kind.default', { ...n.params } as Record<string, unknown>))
      : t('notifications.kind.default');
  };
  const label = unread > 0 ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell');
  const time = (iso: string) =>
    new Date(iso).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'vi-VN', { dateStyle: 'short', timeStyle: 'short' });

  return (
    <div className="notif">
      <button
        ref={bellRef}
        type="button"
        className="icon-btn notif__bell"
        aria-label={label}
        title={label}
        aria-expanded={open}
        aria-controls="notif-panel"
        aria-haspopup="true"
        onClick={() => setOpen((o) => !o)}
        data-testid="notification-bell"
      >
        <Bell aria-hidden />
        {unread > 0 && (
          <span className="notif__count" data-testid="notification-count" aria-hidden>
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <div
          ref={panelRef}
          id="notif-panel"
          className="notif__panel"
          role="region"
          aria-label={t('notifications.title')}
          data-testid="notification-panel"
        >
          <div className="notif__head">
            <h2>{t('notifications.title')}</h2>
            {unread > 0 && (
              <button type="button" className="notif__link" onClick={() => void markAll()} data-testid="notification-read-all">
                {t('notifications.markAllRead')}
              </button>
            )}
          </div>
          {items === null ? (
            <p className="notif__empty">{t('common.loading')}</p>
          ) : items.length === 0 ? (
            <p className="notif__empty">{t('notifications.empty')}</p>
          ) : (
            <ul className="notif__list">
              {items.map((n) => (
                <li key={n.id}>
                  <button
                    type="button"
                    className={`notif__item${n.readAt ? '' : ' notif__item--unread'}`}
                    onClick={() => void openItem(n)}
                    data-testid="notification-item"
                  >
                    <span className="notif__text">{text(n)}</span>
                    <span className="notif__time">
                      {time(n.createdAt)}
                      {n.readAt ? '' : ` · ${t('notifications.unread')}`}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {next && (
            <button type="button" className="notif__link notif__more" onClick={() => void load(next).catch(() => undefined)}>
              {t('notifications.more')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
