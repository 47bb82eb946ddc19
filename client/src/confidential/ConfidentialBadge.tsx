// The level of a confidential document (Mật / Tối mật / Tuyệt mật), as a small red badge.
import { Lock } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ConfidentialityLevel } from '../../../shared/confidential';
import './confidential.css';

export function ConfidentialBadge(props: { level: ConfidentialityLevel }) {
  const { t } = useTranslation();
  const level = t(`confidential.level.${props.level}`);
  return (
    <span className="conf-badge" data-testid="confidential-badge" title={t('confidential.badge', { level })}>
      <Lock aria-hidden size={12} /> {level}
    </span>
  );
}
