// A two-state toggle VI | EN; the active language is pressed.
import { useTranslation } from 'react-i18next';
import { LANGUAGES, currentLanguage, setLanguage } from './index';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const active = currentLanguage();
  return (
    <div className="lang-switch" role="group" aria-label={t('common.language')}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          className="lang-switch__btn"
          aria-pressed={lang === active}
          lang={lang}
          title={t('lang.switchTo', { lang: t(`lang.${lang}`) })}
          data-lang={lang}
          onClick={() => setLanguage(lang)}
        >
          {t(`lang.short_${lang}`)}
        </button>
      ))}
    </div>
  );
}
