// Top bar shared by the signed-in screens: optional back button, a title, language and sign-out.
import type { ReactNode } from 'react';
import { ArrowLeft, LogOut } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../shared/api';
import { LanguageSwitch } from '../i18n/LanguageSwitch';

export function AppHeader(props: { user: User; title: ReactNode; onBack?: () => void; backLabel?: string; start?: ReactNode; end?: ReactNode; onLogout: () => void }) {
  const { t } = useTranslation();
  return (
    <header className="app-header">
      {props.onBack && (
        <button type="button" className="icon-btn" onClick={props.onBack} aria-label={props.backLabel ?? t('common.back')} title={props.backLabel ?? t('common.back')} data-testid="back">
          <ArrowLeft aria-hidden />
        </button>
      )}
      {props.start}
      <div className="app-header__title">{props.title}</div>
      <div className="app-header__end">
        {props.end}
        <span className="app-header__user" title={t('common.signedInAs', { name: props.user.fullName })}>{props.user.fullName}</span>
        <LanguageSwitch />
        <button type="button" className="icon-btn" onClick={props.onLogout} aria-label={t('common.logout')} title={t('common.logout')} data-testid="logout">
          <LogOut aria-hidden />
        </button>
      </div>
    </header>
  );
}
