// Quorum (đủ số lượng), computed live from the same pure function as the server's. It counts voting
// members who checked in (or were marked present), which the badge says in its hint: a member who
// is in the room but has not checked in is not counted yet. `compact`: the figure only on a narrow
// live bar, drawn by CSS from data-short so the element's text stays the full sentence.
import { Info } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { quorumOf, type MeetingState } from '../../../shared/meeting-state';

export function QuorumBadge({
  state,
  large,
  compact,
  explain,
}: {
  state: MeetingState;
  large?: boolean;
  compact?: boolean;
  explain?: boolean;
}) {
  const { t } = useTranslation();
  const q = quorumOf(state);
  const vars = { present: q.present, members: q.members, required: q.required };
  const full = q.reached ? t('live.quorum.reached', vars) : t('live.quorum.notReached', vars);
  const hint = t('live.quorum.hint', vars);
  return (
    <>
      <span
        className={`quorum ${q.reached ? 'quorum--ok' : 'quorum--no'} ${large ? 'quorum--large' : ''} ${compact ? 'quorum--compact' : ''}`}
        data-testid="quorum"
        data-quorum={q.reached ? 'reached' : 'not-reached'}
        data-present={q.present}
        data-members={q.members}
        title={`${full}. ${hint}`}
        data-short={compact ? t('live.quorum.short', vars) : undefined}
      >
        <span className="quorum__full">{full}</span>
      </span>
      {explain && (
        <p className="quorum-hint muted" data-testid="quorum-hint">
          <Info aria-hidden size={14} /> {hint}
        </p>
      )}
    </>
  );
}
