// Quorum (đủ số lượng), computed live from the same pure function as the server's.
import { useTranslation } from 'react-i18next';
import { quorumOf, type MeetingState } from '../../../shared/meeting-state';

export function QuorumBadge({ state, large }: { state: MeetingState; large?: boolean }) {
  const { t } = useTranslation();
  const q = quorumOf(state);
  const vars = { present: q.present, members: q.members, required: q.required };
  return (
    <span className={`quorum ${q.reached ? 'quorum--ok' : 'quorum--no'} ${large ? 'quorum--large' : ''}`} data-testid="quorum" data-quorum={q.reached ? 'reached' : 'not-reached'} data-present={q.present} data-members={q.members}>
      {q.reached ? t('live.quorum.reached', vars) : t('live.quorum.notReached', vars)}
    </span>
  );
}
