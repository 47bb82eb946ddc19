// What this device keeps for reading offline (documents, meetings, marks) and what the browser says
// the app's origin uses (navigator.storage.estimate), with a button that clears it.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clearKept, offlineUsage } from './offline-cache';
import { onOfflineChange } from './offline-db';
import './offline.css';

const mb = (n: number | null) => (n === null ? '—' : `${(n / 2 ** 20).toFixed(1)} MB`);

export function StoragePanel() {
  const { t } = useTranslation();
  const [usage, setUsage] = useState<Awaited<ReturnType<typeof offlineUsage>> | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    let live = true;
    const read = () => {
      void offlineUsage().then(
        (u) => {
          if (live) setUsage(u);
        },
        () => undefined,
      );
    };
    read();
    const off = onOfflineChange(read);
    return () => {
      live = false;
      off();
    };
  }, []);
  return (
    <section
      className="offline-storage"
      aria-label={t('offline.storageTitle')}
      data-testid="offline-storage"
      data-kept={usage?.kept ?? 0}
      data-documents={usage?.documents ?? 0}
    >
      <h2>{t('offline.storageTitle')}</h2>
      <p>
        {usage
          ? t('offline.storageUsed', { kept: mb(usage.kept), documents: usage.documents, origin: mb(usage.origin) })
          : t('common.loading')}
      </p>
      <p className="offline-storage__note">{t('offline.storageNote')}</p>
      <button
        type="button"
        className="btn btn--secondary btn--compact"
        data-testid="offline-clear"
        onClick={() => {
          void clearKept().then(() => setDone(true));
        }}
      >
        {t('offline.storageClear')}
      </button>
      {done && <p role="status">{t('offline.storageCleared')}</p>}
    </section>
  );
}
