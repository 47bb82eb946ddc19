// Top bar shared by the signed-in screens: optional back button, a title, language and sign-out.
import type { ReactNode } from 'react';
import { ArrowLeft, Contrast, LogOut, Type } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { NotificationBell } from '../notifications/NotificationBell';
import { SearchBox } from '../search/SearchBox';
import { LanguageSwitch } from '../i18n/LanguageSwitch';
import { saveDisplaySettings, useDisplaySettings } from '../display-settings';

export function AppHeader(props: {
  user: User;
  title: ReactNode;
  onBack?: () => void;
  backLabel?: string;
  start?: ReactNode;
  end?: ReactNode;
  onLogout: () => void;
  searchInitial?: string;
}) {
  const { t } = useTranslation();
  const display = useDisplaySettings();
  const toggle = (key: 'largeText' | 'highContrast') => {
    void saveDisplaySettings({ ...display, [key]: !display[key] }).catch(() => undefined);
  };
  return (
    <header className="app-header">
      {props.onBack && (
        <button
          type="button"
          className="icon-btn"
          onClick={props.onBack}
          aria-label={props.backLabel ?? t('common.back')}
          title={props.backLabel ?? t('common.back')}
          data-testid="back"
        >
          <ArrowLeft aria-hidden />
        </button>
      )}
      {props.start}
      <div className="app-header__title">{props.title}</div>
      <div className="app-header__end">
        <SearchBox key={props.searchInitial ?? ''} initial={props.searchInitial} />
        {props.end}
        <NotificationBell />
        <span className="app-header__user" title={t('common.signedInAs', { name: props.user.fullName })}>
          {props.user.fullName}
        </span>
        <button
          type="button"
          className="icon-btn"
          aria-pressed={display.largeText}
          onClick={() => toggle('largeText')}
          aria-label={t('common.largeText')}
          title={t('common.largeText')}
          data-testid="toggle-large-text"
        >
          <Type aria-hidden />
        </button>
        <button
          type="button"
          className="icon-btn"
          aria-pressed={display.highContrast}
          onClick={() => toggle('highContrast')}
          aria-label={t('common.highContrast')}
          title={t('common.highContrast')}
          data-testid="toggle-high-contrast"
        >
          <Contrast aria-hidden />
        </button>
        <LanguageSwitch />
        <button
          type="button"
          className="icon-btn"
          onClick={props.onLogout}
          aria-label={t('common.logout')}
          title={t('common.logout')}
          data-testid="logout"
        >
          <LogOut aria-hidden />
        </button>
      </div>
    </header>
  );
}
