// The votes panel: the chair creates a vote on the current item, opens it (not without quorum),
// watches the count and closes it; everyone sees the open vote's count and past results; members
// give or revoke a proxy here, and officers see every proxy.
import { useState } from 'react';
import { Lock, Users, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { MeetingAbilities, Member } from '../../../shared/api';
import type { MeetingState } from '../../../shared/meeting-state';
import { VOTING_ROLES, type MeetingRole } from '../../../shared/roles';
import type { VoteRule } from '../../../shared/vote-rules';
import type { ElectionForm } from '../../../shared/elections';
import { presentForVote, runningCounts, voteQuorum, type VoteState } from '../../../shared/votes';
import type { CommandPayloads } from '../../../shared/events';
import { VoteResult } from './VoteResult';
import { CountingReportPanel } from './CountingReportPanel';
import { RecordVotes, type RecordVoteActions } from './RecordVotes';
import { choiceLabel, ruleLabel } from './vote-text';

type RuleKind = VoteRule['kind'];

export interface VotePanelActions extends RecordVoteActions {
  create: (p: CommandPayloads['vote.create']) => Promise<boolean>;
  open: (voteId: string) => void;
  close: (voteId: string) => void;
  discard: (voteId: string) => void;
  /** fromUserId: an officer records the proxy of another member (a written proxy, or on the spot) */
  grantProxy: (toUserId: string, fromUserId?: string) => void;
  revokeProxy: (fromUserId?: string) => void;
  showBallot: () => void;
}

export function VotePanel(props: {
  state: MeetingState;
  me: string;
  role: MeetingRole | null;
  /** what the caller may do, from the server's policies (MeetingDetail.abilities) */
  abilities: MeetingAbilities;
  members: Member[];
  currentItemLabel: string | null;
  hasBallot: boolean;
  actions: VotePanelActions;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { state, me } = props;
  const isChair = props.abilities.controlMeeting;
  const isOfficer = props.abilities.recordBallots;
  const nameOf = (id: string) => props.members.find((m) => m.userId === id)?.fullName ?? null;
  const members = state.votingMemberIds.length;
  const present = presentForVote(state.votingMemberIds, state.attendance, state.proxies).length;
  const quorum = voteQuorum(members, present);
  // the open vote first, then drafts, then results, newest first
  const rank = { open: 0, draft: 1, closed: 2 } as const;
  const votes = [...state.votes.order]
    .reverse()
    .map((id) => state.votes.byId[id])
    .filter((v): v is VoteState => v !== undefined)
    .sort((a, b) => rank[a.status] - rank[b.status]);
  const busy = votes.some((v) => v.status !== 'closed');
  const create =
    isChair && (state.status === 'running' || state.status === 'paused') ? (
      <CreateVote currentItemLabel={props.currentItemLabel} onCreate={props.actions.create} collapsed={busy} />
    ) : null;

  return (
    <aside className="side-panel vote-panel" aria-labelledby="votes-title" data-testid="vote-panel">
      <div className="side-panel__head">
        <h2 id="votes-title">{t('votes.title')}</h2>
        <button
          type="button"
          className="icon-btn"
          onClick={props.onClose}
          aria-label={t('common.close')}
          title={t('common.close')}
        >
          <X aria-hidden />
        </button>
      </div>
      <div className="vote-panel__body">
        {props.hasBallot && (
          <button type="button" className="btn btn--primary btn--block vote-panel__ballot-btn" onClick={props.actions.showBallot}>
            {t('votes.ballot.show')}
          </button>
        )}
        {!busy && create}
        {votes.length === 0 && <p className="muted">{t('votes.none')}</p>}
        {votes.map((v) => {
          const running = runningCounts(v);
          return (
            <section
              key={v.id}
              className={`vote-card vote-card--${v.status}`}
              data-testid="vote-card"
              data-vote-id={v.id}
              data-status={v.status}
            >
              <div className="vote-card__top">
                <span className={`tag vote-status vote-status--${v.status}`}>{t(`votes.status.${v.status}`)}</span>
                <span className="vote-card__mode">
                  {v.secret ? <Lock aria-hidden size={14} /> : <Users aria-hidden size={14} />}
                  {v.secret ? t('votes.secret') : t('votes.named')}
                </span>
              </div>
              <div className="vote-card__question">{v.question}</div>
              <div className="muted vote-card__rule">
                {v.election && (
                  <strong data-testid="election-setup">
                    {t(`elections.form.${v.election.form}`)} ·{' '}
                    {t('elections.seats', { seats: v.election.seats, candidates: v.choices.length })} ·{' '}
                  </strong>
                )}
                {ruleLabel(t, v.rule)} · {v.choices.map((c) => choiceLabel(t, c)).join(' / ')}
              </div>
              {v.status === 'draft' && isChair && (
                <>
                  {!quorum.reached && (
                    <p className="vote-warn" role="alert" data-testid="no-quorum">
                      {t('votes.noQuorum', { present: quorum.present, members: quorum.members, required: quorum.required })}
                    </p>
                  )}
                  <div className="vote-card__actions">
                    <button
                      type="button"
                      className="btn btn--primary"
                      data-testid="vote-open"
                      disabled={!quorum.reached || state.votes.openVoteId !== null || state.status !== 'running'}
                      onClick={() => props.actions.open(v.id)}
                    >
                      {t('votes.open')}
                    </button>
                    <button type="button" className="btn btn--secondary" onClick={() => props.actions.discard(v.id)}>
                      {t('votes.discard')}
                    </button>
                  </div>
                </>
              )}
              {v.status === 'open' && (
                <>
                  <div className="vote-card__count" data-testid="vote-count" data-cast={running.cast}>
                    {t('votes.castCount', { cast: running.cast, members })}
                  </div>
                  {running.counts && (
                    <ul className="vote-card__running">
                      {running.counts.map((c) => (
                        <li key={c.choiceId}>
                          <span>
                            {choiceLabel(
                              t,
                              v.choices.find((x) => x.id === c.choiceId)!,
                            )}
                          </span>
                          <strong>{c.count}</strong>
                        </li>
                      ))}
                    </ul>
                  )}
                  {isOfficer && <RecordVotes state={state} vote={v} members={props.members} actions={props.actions} />}
                  {isChair && (
                    <button
                      type="button"
                      className="btn btn--danger btn--block"
                      data-testid="vote-close"
                      onClick={() => props.actions.close(v.id)}
                    >
                      {t('votes.close')}
                    </button>
                  )}
                </>
              )}
              {v.status === 'closed' && v.result && <VoteResult vote={v} result={v.result} nameOf={nameOf} details />}
              {v.status === 'closed' && v.election && (
                <CountingReportPanel
                  meetingId={state.meetingId}
                  voteId={v.id}
                  me={me}
                  isOfficer={props.abilities.draftCountingReport}
                  members={props.members}
                />
              )}
            </section>
          );
        })}
        {busy && create}
        <Proxies state={state} me={me} role={props.role} members={props.members} isOfficer={isOfficer} actions={props.actions} />
      </div>
    </aside>
  );
}

function CreateVote(props: { currentItemLabel: string | null; onCreate: VotePanelActions['create']; collapsed: boolean }) {
  const { t } = useTranslation();
  const [question, setQuestion] = useState('');
  const [secret, setSecret] = useState(false);
  const [kind, setKind] = useState<RuleKind>('majority_of_members');
  const [num, setNum] = useState(3);
  const [den, setDen] = useState(5);
  const [base, setBase] = useState<'members' | 'present' | 'cast'>('members');
  const [custom, setCustom] = useState('');
  const [busy, setBusy] = useState(false);
  // an election (bầu cử): the custom choices are the candidates, with seats and the ballot's form
  const [election, setElection] = useState(false);
  const [seats, setSeats] = useState(1);
  const [ballotForm, setBallotForm] = useState<ElectionForm>('strike');
  const rule: VoteRule = kind === 'threshold' ? { kind, numerator: num, denominator: den, base, strict: false } : { kind };
  const choices = custom
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  const electionReady = !election || (choices.length >= 2 && seats >= 1 && seats <= choices.length);
  const submit = async () => {
    setBusy(true);
    const ok = await props.onCreate({
      question: question.trim(),
      secret,
      rule,
      ...(choices.length >= 2 ? { choices } : {}),
      ...(election ? { election: { seats, form: ballotForm } } : {}),
    });
    setBusy(false);
    if (ok) {
      setQuestion('');
      setCustom('');
    }
  };
  const chooseElection = (on: boolean) => {
    setElection(on);
    // elections are secret by default (bỏ phiếu kín)
    if (on) setSecret(true);
  };
  const form = (
    <form
      className="vote-create"
      data-testid="vote-create"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {!props.collapsed && <h3>{t('votes.create.title')}</h3>}
      <div className="muted">
        {props.currentItemLabel ? t('votes.create.item', { item: props.currentItemLabel }) : t('votes.create.noItem')}
      </div>
      <div className="segmented" role="radiogroup" aria-label={t('elections.kind')}>
        <button type="button" role="radio" aria-checked={!election} onClick={() => chooseElection(false)} data-testid="kind-vote">
          {t('elections.kindVote')}
        </button>
        <button
          type="button"
          role="radio"
          aria-checked={election}
          onClick={() => chooseElection(true)}
          data-testid="kind-election"
        >
          {t('elections.kindElection')}
        </button>
      </div>
      <label className="field">
        <span>{t('votes.create.question')}</span>
        <textarea
          name="question"
          rows={2}
          required
          maxLength={1000}
          value={question}
          placeholder={t('votes.create.questionPlaceholder')}
          onChange={(e) => setQuestion(e.target.value)}
        />
      </label>
      <div className="segmented" role="radiogroup" aria-label={t('votes.create.mode')}>
        <button type="button" role="radio" aria-checked={!secret} onClick={() => setSecret(false)} data-testid="mode-named">
          <Users aria-hidden size={18} />
          {t('votes.named')}
        </button>
        <button type="button" role="radio" aria-checked={secret} onClick={() => setSecret(true)} data-testid="mode-secret">
          <Lock aria-hidden size={18} />
          {t('votes.secret')}
        </button>
      </div>
      <label className="field">
        <span>{t('votes.create.rule')}</span>
        <select name="rule" value={kind} onChange={(e) => setKind(e.target.value as RuleKind)}>
          {(['majority_of_members', 'majority_of_present', 'two_thirds_of_members', 'threshold'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`votes.rules.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {kind === 'threshold' && (
        <div className="vote-create__threshold">
          <input
            type="number"
            min={1}
            max={1000}
            value={num}
            aria-label={t('votes.threshold.numerator')}
            onChange={(e) => setNum(Number(e.target.value))}
          />
          <span>/</span>
          <input
            type="number"
            min={1}
            max={1000}
            value={den}
            aria-label={t('votes.threshold.denominator')}
            onChange={(e) => setDen(Number(e.target.value))}
          />
          <select
            value={base}
            aria-label={t('votes.threshold.baseLabel')}
            onChange={(e) => setBase(e.target.value as typeof base)}
          >
            {(['members', 'present', 'cast'] as const).map((b) => (
              <option key={b} value={b}>
                {t(`votes.threshold.base.${b}`)}
              </option>
            ))}
          </select>
        </div>
      )}
      {election ? (
        <div className="vote-create__election" data-testid="election-setup-form">
          <label className="field">
            <span>{t('elections.candidates')}</span>
            <textarea
              rows={4}
              value={custom}
              name="candidates"
              placeholder={t('elections.candidatesPlaceholder')}
              onChange={(e) => setCustom(e.target.value)}
            />
          </label>
          <label className="field">
            <span>{t('elections.seatsLabel')}</span>
            <input
              type="number"
              name="seats"
              min={1}
              max={Math.max(1, choices.length)}
              value={seats}
              onChange={(e) => setSeats(Math.max(1, Math.floor(Number(e.target.value) || 1)))}
            />
          </label>
          <div className="segmented" role="radiogroup" aria-label={t('elections.formLabel')}>
            <button
              type="button"
              role="radio"
              aria-checked={ballotForm === 'strike'}
              onClick={() => setBallotForm('strike')}
              data-testid="form-strike"
            >
              {t('elections.form.strike')}
            </button>
            <button
              type="button"
              role="radio"
              aria-checked={ballotForm === 'choose'}
              onClick={() => setBallotForm('choose')}
              data-testid="form-choose"
            >
              {t('elections.form.choose')}
            </button>
          </div>
          {!electionReady && <p className="muted">{t('elections.needCandidates')}</p>}
        </div>
      ) : (
        <details className="vote-create__custom">
          <summary>{t('votes.create.customChoices')}</summary>
          <textarea
            rows={3}
            value={custom}
            placeholder={t('votes.create.customPlaceholder')}
            onChange={(e) => setCustom(e.target.value)}
          />
        </details>
      )}
      <button
        type="submit"
        className="btn btn--primary btn--block"
        disabled={busy || !question.trim() || !electionReady}
        data-testid="vote-create-submit"
      >
        {election ? t('elections.submit') : t('votes.create.submit')}
      </button>
    </form>
  );
  // while a vote is open or waiting, the form folds away below it
  return props.collapsed ? (
    <details className="vote-create__fold">
      <summary>{t('votes.create.title')}</summary>
      {form}
    </details>
  ) : (
    form
  );
}

function Proxies(props: {
  state: MeetingState;
  me: string;
  role: MeetingRole | null;
  members: Member[];
  isOfficer: boolean;
  actions: VotePanelActions;
}) {
  const { t } = useTranslation();
  const { state, me } = props;
  const [to, setTo] = useState('');
  const nameOf = (id: string) => props.members.find((m) => m.userId === id)?.fullName ?? id;
  const isVoter = props.role !== null && VOTING_ROLES.includes(props.role);
  const frozen = state.votes.openVoteId !== null;
  const given = state.proxies[me];
  const holding = Object.entries(state.proxies)
    .filter(([, h]) => h === me)
    .map(([from]) => from);
  const candidates = props.members.filter(
    (m) => m.userId !== me && VOTING_ROLES.includes(m.role) && state.proxies[m.userId] === undefined,
  );
  return (
    <section className="proxies" data-testid="proxies">
      <h3>{t('votes.proxy.title')}</h3>
      {frozen && <p className="muted">{t('votes.proxy.frozen')}</p>}
      {isVoter && given && (
        <div className="proxies__row">
          <span>{t('votes.proxy.given', { name: nameOf(given) })}</span>
          <button
            type="button"
            className="btn btn--secondary btn--compact"
            disabled={frozen}
            onClick={() => props.actions.revokeProxy()}
          >
            {t('votes.proxy.revoke')}
          </button>
        </div>
      )}
      {isVoter && !given && holding.length === 0 && (
        <form
          className="proxies__give"
          onSubmit={(e) => {
            e.preventDefault();
            if (to) props.actions.grantProxy(to);
          }}
        >
          <label className="field">
            <span>{t('votes.proxy.give')}</span>
            <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="proxy-to">
              <option value="">{t('votes.proxy.choose')}</option>
              {candidates.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.fullName}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn--secondary" disabled={!to || frozen}>
            {t('votes.proxy.grant')}
          </button>
        </form>
      )}
      {holding.length > 0 && <p>{t('votes.proxy.holding', { names: holding.map(nameOf).join(', ') })}</p>}
      {props.isOfficer && (
        <RecordProxy state={state} members={props.members} frozen={frozen} onGrant={props.actions.grantProxy} />
      )}
      {props.isOfficer &&
        (Object.keys(state.proxies).length === 0 ? (
          <p className="muted">{t('votes.proxy.empty')}</p>
        ) : (
          <ul className="proxies__list">
            {Object.entries(state.proxies).map(([from, holder]) => (
              <li key={from}>
                <span>{t('votes.proxy.entry', { from: nameOf(from), to: nameOf(holder) })}</span>
                <button
                  type="button"
                  className="btn btn--secondary btn--compact"
                  disabled={frozen}
                  onClick={() => props.actions.revokeProxy(from)}
                >
                  {t('votes.proxy.revoke')}
                </button>
              </li>
            ))}
          </ul>
        ))}
    </section>
  );
}

/** Officers record a proxy between two voting members (no chains: the server refuses them too). */
function RecordProxy(props: {
  state: MeetingState;
  members: Member[];
  frozen: boolean;
  onGrant: VotePanelActions['grantProxy'];
}) {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const { proxies } = props.state;
  const holders = new Set(Object.values(proxies));
  const voters = props.members.filter((m) => VOTING_ROLES.includes(m.role));
  const givers = voters.filter((m) => proxies[m.userId] === undefined && !holders.has(m.userId));
  const takers = voters.filter((m) => m.userId !== from && proxies[m.userId] === undefined);
  return (
    <form
      className="proxies__give"
      data-testid="proxy-record"
      onSubmit={(e) => {
        e.preventDefault();
        if (from && to) {
          props.onGrant(to, from);
          setFrom('');
          setTo('');
        }
      }}
    >
      <label className="field">
        <span>{t('votes.proxy.recordFrom')}</span>
        <select value={from} onChange={(e) => setFrom(e.target.value)} data-testid="proxy-record-from">
          <option value="">{t('votes.proxy.choose')}</option>
          {givers.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.fullName}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('votes.proxy.recordTo')}</span>
        <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="proxy-record-to">
          <option value="">{t('votes.proxy.choose')}</option>
          {takers.map((m) => (
            <option key={m.userId} value={m.userId}>
              {m.fullName}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn--secondary" disabled={!from || !to || props.frozen}>
        {t('votes.proxy.record')}
      </button>
    </form>
  );
}
