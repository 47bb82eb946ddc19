// The ballot (phiếu biểu quyết): large, unmistakable, one tap to choose and one to confirm, one
// ballot for oneself and one for each member whose proxy this voter holds. After sending: "your
// vote is recorded" and, for a secret vote, the receipt code to check the published list with.
import { useState } from 'react';
import { Check, Lock, Users, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { VoteState } from '../../../shared/votes';
import { choiceLabel } from './vote-text';
import { saveReceipt, useReceipts } from './receipts';
import { ElectionBallot } from './ElectionBallot';

export interface BallotSlot {
  /** whose vote this ballot is */
  memberId: string;
  /** null for one's own ballot, else the name of the member represented */
  onBehalfOfName: string | null;
}

/** what a ballot says: one choice, or for an election the names marked (ticked or struck) */
export type BallotContent = { choice: string } | { marks: string[] };

export type CastResult = { ok: true; receipt?: string } | { ok: false; message: string };

export function BallotCard(props: {
  vote: VoteState;
  slots: BallotSlot[];
  me: string;
  cast: (memberId: string, ballot: BallotContent) => Promise<CastResult>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { vote } = props;
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const [sending, setSending] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  // kept (encrypted) on the device, plus any received here before the device key arrived
  const stored = useReceipts(vote.id);
  const [fresh, setReceipts] = useState<Record<string, string>>({});
  const receipts = { ...stored, ...fresh };
  const allDone = props.slots.every((s) => vote.voted[s.memberId]);

  const send = async (memberId: string, marks?: string[]) => {
    const choiceId = chosen[memberId];
    if (!choiceId && !marks) return;
    setSending(memberId);
    const r = await props.cast(memberId, marks ? { marks } : { choice: choiceId! });
    setSending(null);
    if (!r.ok) {
      setErrors((e) => ({ ...e, [memberId]: r.message }));
      return;
    }
    setErrors((e) => ({ ...e, [memberId]: '' }));
    if (r.receipt) {
      saveReceipt(vote.id, memberId, r.receipt);
      setReceipts((x) => ({ ...x, [memberId]: r.receipt! }));
    }
  };

  return (
    <div className="ballot-backdrop" role="presentation">
      <section
        className="ballot"
        role="dialog"
        aria-modal="true"
        aria-labelledby="ballot-question"
        data-testid="ballot"
        data-vote-id={vote.id}
      >
        <header className="ballot__head">
          <span className={`ballot__mode ${vote.secret ? 'ballot__mode--secret' : ''}`}>
            {vote.secret ? <Lock aria-hidden size={18} /> : <Users aria-hidden size={18} />}
            {vote.secret ? t('votes.ballot.secret') : t('votes.ballot.named')}
          </span>
          <button
            type="button"
            className="icon-btn"
            onClick={props.onClose}
            aria-label={t('votes.ballot.later')}
            title={t('votes.ballot.later')}
          >
            <X aria-hidden />
          </button>
        </header>
        <div className="ballot__kicker">{vote.election ? t('elections.ballot.title') : t('votes.ballot.title')}</div>
        <h2 id="ballot-question" className="ballot__question">
          {vote.question}
        </h2>
        <div className="ballot__slots">
          {props.slots.map((slot) => {
            const done = vote.voted[slot.memberId];
            const pick = chosen[slot.memberId];
            const receipt = receipts[slot.memberId];
            return (
              <div
                key={slot.memberId}
                className="ballot__slot"
                data-member={slot.memberId}
                data-state={done ? 'recorded' : 'open'}
              >
                {(props.slots.length > 1 || slot.onBehalfOfName) && (
                  <div className="ballot__who">
                    {slot.onBehalfOfName ? t('votes.ballot.onBehalf', { name: slot.onBehalfOfName }) : t('votes.ballot.yourVote')}
                  </div>
                )}
                {done ? (
                  <div className="ballot__recorded" role="status" data-testid="ballot-recorded">
                    <Check aria-hidden size={28} />
                    <div>
                      <div className="ballot__recorded-title">{t('votes.ballot.recorded')}</div>
                      {!vote.secret && !vote.election && vote.named[slot.memberId] && (
                        <div className="muted">
                          {choiceLabel(t, vote.choices.find((c) => c.id === vote.named[slot.memberId]) ?? { id: '', label: '' })}
                        </div>
                      )}
                      {vote.secret && receipt && (
                        <div className="ballot__receipt">
                          {t('votes.ballot.receipt')}: <strong data-testid="receipt">{receipt}</strong>
                          <div className="muted">{t('votes.ballot.receiptHint')}</div>
                        </div>
                      )}
                    </div>
                  </div>
                ) : vote.election ? (
                  <>
                    <ElectionBallot
                      vote={vote}
                      memberId={slot.memberId}
                      disabled={sending !== null}
                      sending={sending === slot.memberId}
                      onSend={(marks) => void send(slot.memberId, marks)}
                    />
                    {errors[slot.memberId] && (
                      <p className="ballot__error" role="alert">
                        {errors[slot.memberId]}
                      </p>
                    )}
                  </>
                ) : (
                  <>
                    <div className="ballot__choices" role="radiogroup" aria-label={vote.question}>
                      {vote.choices.map((c, i) => (
                        <button
                          key={c.id}
                          type="button"
                          role="radio"
                          aria-checked={pick === c.id}
                          className={`ballot__choice ballot__choice--${['for', 'against', 'abstain'].includes(c.id) ? c.id : `n${i % 3}`}`}
                          data-choice={c.id}
                          disabled={sending !== null}
                          onClick={() => setChosen((x) => ({ ...x, [slot.memberId]: c.id }))}
                        >
                          <span className="ballot__radio" aria-hidden>
                            {pick === c.id ? <Check size={22} /> : null}
                          </span>
                          {choiceLabel(t, c)}
                        </button>
                      ))}
                    </div>
                    <button
                      type="button"
                      className="btn btn--primary btn--block ballot__confirm"
                      data-testid="ballot-confirm"
                      disabled={!pick || sending !== null}
                      onClick={() => void send(slot.memberId)}
                    >
                      {sending === slot.memberId
                        ? t('votes.ballot.sending')
                        : pick
                          ? t('votes.ballot.confirm', {
                              choice: choiceLabel(
                                t,
                                vote.choices.find((c) => c.id === pick)!,
                              ),
                            })
                          : t('votes.ballot.choose')}
                    </button>
                    {errors[slot.memberId] && (
                      <p className="ballot__error" role="alert">
                        {errors[slot.memberId]}
                      </p>
                    )}
                  </>
                )}
              </div>
            );
          })}
        </div>
        {allDone && (
          <button type="button" className="btn btn--secondary btn--block" onClick={props.onClose}>
            {t('common.close')}
          </button>
        )}
      </section>
    </div>
  );
}
