// Small labels for a meeting's status and the viewer's role in it.
import { useTranslation } from 'react-i18next';
import type { MeetingRole, MeetingStatus } from '../../../shared/roles';

export function StatusBadge({ status }: { status: MeetingStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge--status-${status}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

export function RoleBadge({ role, isAdmin }: { role: MeetingRole | null; isAdmin: boolean }) {
  const { t } = useTranslation();
  if (!role && !isAdmin) return null;
  return (
    <span className="badge badge--role" data-role={role ?? 'admin'}>
      {role ? t(`roles.${role}`) : t('roles.admin')}
    </span>
  );
}
