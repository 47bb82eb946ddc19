// "A new version is available — reload": shown when the service worker has a newer app waiting, or
// when the server speaks another live protocol than this app (GET /api/version, checked at start
// and whenever the network comes back). The new worker takes over only when the user reloads from
// here, so the app is never swapped under a reader in the middle of a meeting, and an old app
// kept by the worker is never used against a newer server without saying so.
/// <reference types="vite-plugin-pwa/client" />
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PROTOCOL_VERSION } from '../../../shared/events';
import type { ServerVersion } from '../../../shared/api';
import { http } from '../api/http';
import './offline.css';

export function UpdateBanner() {
  const { t } = useTranslation();
  const [needed, setNeeded] = useState<'worker' | 'protocol' | null>(null);
  const update = useRef<((reload?: boolean) => Promise<void>) | null>(null);
  const registration = useRef<ServiceWorkerRegistration | null>(null);

  useEffect(() => {
    let live = true;
    if (import.meta.env.PROD && 'serviceWorker' in navigator) {
      void import('virtual:pwa-register')
        .then(({ registerSW }) => {
          if (!live) return;
          update.current = registerSW({
            immediate: true,
            onNeedRefresh: () => setNeeded((n) => n ?? 'worker'),
            onRegisteredSW: (_url, reg) => {
              registration.current = reg ?? null;
            },
          });
        })
        .catch(() => undefined);
    }
    const check = () => {
      http.get<ServerVersion>('/api/version').then(
        (v) => {
          if (!live || v.protocol === PROTOCOL_VERSION) return;
          setNeeded('protocol');
          void registration.current?.update().catch(() => undefined); // fetch the newer app meanwhile
        },
        () => undefined,
      ); // offline: checked again when the network is back
    };
    check();
    window.addEventListener('online', check);
    return () => {
      live = false;
      window.removeEventListener('online', check);
    };
  }, []);

  const reload = useCallback(async () => {
    const reg = registration.current;
    try {
      await reg?.update();
    } catch {
      /* offline or gone: a plain reload */
    }
    if (reg?.waiting && update.current)
      await update.current(true); // the waiting worker takes over, then the page reloads
    else window.location.reload();
  }, []);

  if (!needed) return null;
  return (
    <div className="update-banner" role="alert" data-testid="update-banner" data-reason={needed}>
      <span>{t('offline.update')}</span>
      <button type="button" className="btn btn--primary btn--compact" onClick={() => void reload()} data-testid="update-reload">
        {t('offline.updateReload')}
      </button>
    </div>
  );
}
