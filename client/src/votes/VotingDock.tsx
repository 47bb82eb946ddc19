// Floor, votes and proxies in the meeting page: two buttons (floor, vote) that open their panels,
// the ballot that comes up by itself on a voting member's tablet when a vote opens, and the
// result when it closes. Mounted once in MeetingPage; all commands go through the live store.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Hand, Vote } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { MeetingAbilities, Member } from '../../../shared/api';
import type { CommandPayloads, CommandType } from '../../../shared/events';
import type { MeetingState } from '../../../shared/meeting-state';
import type { MeetingRole } from '../../../shared/roles';
import type { VoteState } from '../../../shared/votes';
import type { LiveAck, LiveStore } from '../live/live-store';
import { liveErrorMessage } from '../live/errors';
import { FloorQueue, type FloorActions } from '../floor/FloorQueue';
import { announce } from '../components/Announcer';
import { BallotCard, type BallotContent, type BallotSlot, type CastResult } from './BallotCard';
import { VotePanel, type VotePanelActions } from './VotePanel';
import { VoteResult } from './VoteResult';
import { resultHeadline } from './vote-text';
import './votes.css';

/** The ballots this user casts in a vote: their own (unless delegated) and one per proxy held. */
export function ballotSlots(
  vote: VoteState,
  me: string,
  castBallot: boolean,
  nameOf: (id: string) => string | null,
): BallotSlot[] {
  const slots: BallotSlot[] = [];
  if (castBallot && vote.proxies[me] === undefined) slots.push({ memberId: me, onBehalfOfName: null });
  for (const [from, holder] of Object.entries(vote.proxies)) {
    if (holder === me) slots.push({ memberId: from, onBehalfOfName: nameOf(from) ?? from });
  }
  return slots;
}

export function VotingDock(props: {
  store: LiveStore;
  state: MeetingState;
  me: string;
  role: MeetingRole | null;
  /** what the caller may do, from the server's policies (MeetingDetail.abilities) */
  abilities: MeetingAbilities;
  members: Member[];
  currentItemLabel: string | null;
  say: (text: string) => void;
  /** a side panel or drawer is open: the floating buttons step aside rather than cover its content */
  covered?: boolean;
}) {
  const { t } = useTranslation();
  const { store, state, me, role, say } = props;
  const [panel, setPanel] = useState<'none' | 'floor' | 'votes'>('none');
  const nameOf = useCallback((id: string) => props.members.find((m) => m.userId === id)?.fullName ?? null, [props.members]);

  const send = useCallback(
    async <T extends CommandType>(type: T, payload: CommandPayloads[T]): Promise<LiveAck> => {
      const ack = await store.sendCommand(type, payload);
      if (!ack.ok) {
        say(ack.error.code === 'NO_QUORUM' ? t('votes.noQuorumShort') : (liveErrorMessage(t, ack) ?? t('live.errors.generic')));
      }
      return ack;
    },
    [store, say, t],
  );

  // ---- the ballot: comes up when a vote opens for which this user has a ballot to cast
  const openVote = state.votes.openVoteId ? (state.votes.byId[state.votes.openVoteId] ?? null) : null;
  const castBallot = props.abilities.castBallot;
  const slots = useMemo(
    () => (openVote ? ballotSlots(openVote, me, castBallot, nameOf) : []),
    [openVote, me, castBallot, nameOf],
  );
  const [dismissed, setDismissed] = useState<string | null>(null);
  const showBallot = openVote !== null && slots.length > 0 && dismissed !== openVote.id;
  const cast = useCallback(
    async (memberId: string, ballot: BallotContent): Promise<CastResult> => {
      if (!openVote) return { ok: false, message: t('live.errors.CONFLICT') };
      const ack = await store.sendCommand('ballot.cast', {
        voteId: openVote.id,
        ...ballot,
        ...(memberId !== me ? { onBehalfOf: memberId } : {}),
      });
      if (!ack.ok) return { ok: false, message: liveErrorMessage(t, ack) ?? t('live.errors.generic') };
      const receipt = (ack as { receipt?: unknown }).receipt;
      return typeof receipt === 'string' ? { ok: true, receipt } : { ok: true };
    },
    [openVote, store, me, t],
  );

  // ---- the result: shown once to everyone when a vote closes while they are here
  const [resultFor, setResultFor] = useState<string | null>(null);
  const seenClosed = useRef<Set<string> | null>(null);
  useEffect(() => {
    const closed = state.votes.order.filter((id) => state.votes.byId[id]?.status === 'closed');
    if (seenClosed.current === null) {
      seenClosed.current = new Set(closed);
      return;
    }
    const fresh = closed.find((id) => !seenClosed.current!.has(id));
    for (const id of closed) seenClosed.current.add(id);
    if (fresh) setResultFor(fresh);
  }, [state.votes]);
  const resultVote = resultFor ? state.votes.byId[resultFor] : undefined;

  const voteActions: VotePanelActions = useMemo(
    () => ({
      create: async (p) => (await send('vote.create', p)).ok,
      open: (voteId) => {
        void send('vote.open', { voteId });
      },
      close: (voteId) => {
        void send('vote.close', { voteId });
      },
      discard: (voteId) => {
        void send('vote.discard', { voteId });
      },
      grantProxy: (toUserId, fromUserId) => {
        void send('proxy.grant', fromUserId ? { toUserId, fromUserId } : { toUserId });
      },
      revokeProxy: (fromUserId) => {
        void send('proxy.revoke', fromUserId ? { fromUserId } : {});
      },
      showBallot: () => setDismissed(null),
      record: async (voteId, memberId, choice) => (await send('ballot.record', { voteId, memberId, choice })).ok,
      paperTally: async (voteId, memberIds, counts) => (await send('vote.paperTally', { voteId, memberIds, counts })).ok,
      paperBallots: async (voteId, memberIds, ballots) =>
        (await send('vote.paperTally', { voteId, memberIds, ballots: ballots.map((marks) => ({ marks })) })).ok,
    }),
    [send],
  );
  const floorActions: FloorActions = useMemo(
    () => ({
      request: (kind) => {
        void send('floor.request', { kind });
      },
      withdraw: (requestId) => {
        void send('floor.withdraw', { requestId });
      },
      grant: (requestId, seconds) => {
        void send('floor.grant', seconds ? { requestId, seconds } : { requestId });
      },
      end: () => {
        void send('floor.end', {});
      },
      reorder: (requestIds) => {
        void send('floor.reorder', { requestIds });
      },
    }),
    [send],
  );

  const live = state.status === 'running' || state.status === 'paused';
  const myRequest = state.floor.queue.findIndex((r) => r.userId === me);
  // A button shows only when it can lead somewhere: the floor while the meeting is live, for those who
  // may ask for it (not observers, not a non-member admin); votes for the chair, the secretary and
  // voters while live, and afterwards only if there were votes to look back on.
  const { abilities } = props;
  const mayAct = abilities.requestFloor;
  const showFloor = live && mayAct;
  const showVotes =
    (abilities.castBallot || abilities.recordBallots || abilities.controlMeeting) && (live || state.votes.order.length > 0);
  const dockShown = !props.covered && (showFloor || showVotes || panel !== 'none');
  // Escape closes the floor or votes panel (or the result) first; capture so the page's own Escape
  // handling (MeetingPage) sees it handled and leaves the other panels alone
  useEffect(() => {
    if (panel === 'none' && !resultFor) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || e.target instanceof HTMLTextAreaElement) return;
      e.preventDefault();
      if (panel !== 'none') setPanel('none');
      else setResultFor(null);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [panel, resultFor]);
  // Screen readers hear that the floor is theirs and that their vote is recorded.
  const mySpeaking = state.floor.current?.userId === me;
  useEffect(() => {
    if (mySpeaking) announce(t('floor.yourTurn'));
  }, [mySpeaking, t]);
  const myVoteRecorded = openVote !== null && openVote.voted[me] !== undefined ? openVote.id : null;
  useEffect(() => {
    if (myVoteRecorded) announce(t('votes.ballot.recorded'));
  }, [myVoteRecorded, t]);
  // Focus returns to the dock button that opened a panel when the panel closes (keyboard users
  // would otherwise be dropped at the top of the page).
  const floorBtn = useRef<HTMLButtonElement>(null);
  const votesBtn = useRef<HTMLButtonElement>(null);
  const lastPanel = useRef(panel);
  useEffect(() => {
    const was = lastPanel.current;
    lastPanel.current = panel;
    if (panel !== 'none' || was === 'none') return;
    const inPage =
      document.activeElement === null || document.activeElement === document.body || !document.activeElement.isConnected;
    if (inPage) (was === 'floor' ? floorBtn : votesBtn).current?.focus();
  }, [panel]);
  useEffect(() => {
    if ((panel === 'floor' && !showFloor) || (panel === 'votes' && !showVotes)) setPanel('none');
  }, [panel, showFloor, showVotes]);
  return (
    <>
      {dockShown && (
        <div className={`dock ${panel !== 'none' ? 'dock--beside-panel' : ''}`} data-testid="voting-dock">
          {showFloor && (
            <button
              type="button"
              className={`dock__btn ${panel === 'floor' ? 'dock__btn--on' : ''}`}
              aria-pressed={panel === 'floor'}
              onClick={() => setPanel((p) => (p === 'floor' ? 'none' : 'floor'))}
              ref={floorBtn}
              title={t('floor.title')}
              data-testid="dock-floor"
            >
              <Hand aria-hidden />
              <span>{t('floor.title')}</span>
              {state.floor.queue.length > 0 && (
                <span className="dock__badge" aria-label={t('floor.waiting', { n: state.floor.queue.length })}>
                  {state.floor.queue.length}
                </span>
              )}
            </button>
          )}
          {showVotes && (
            <button
              type="button"
              className={`dock__btn ${panel === 'votes' ? 'dock__btn--on' : ''} ${openVote ? 'dock__btn--alert' : ''}`}
              aria-pressed={panel === 'votes'}
              onClick={() => setPanel((p) => (p === 'votes' ? 'none' : 'votes'))}
              ref={votesBtn}
              title={t('votes.title')}
              data-testid="dock-votes"
            >
              <Vote aria-hidden />
              <span>{t('votes.title')}</span>
              {openVote && <span className="dock__badge">{Object.keys(openVote.voted).length}</span>}
            </button>
          )}
        </div>
      )}
      {myRequest >= 0 && panel !== 'floor' && (
        <div className={`floor-mine ${panel !== 'none' ? 'dock--beside-panel' : ''}`} role="status">
          {myRequest === 0 ? t('floor.youAreNext') : t('floor.position', { n: myRequest + 1 })}
        </div>
      )}
      {state.floor.current?.userId === me && panel !== 'floor' && (
        <div className={`floor-mine floor-mine--speaking ${panel !== 'none' ? 'dock--beside-panel' : ''}`} role="status">
          {t('floor.yourTurn')}
        </div>
      )}
      {panel === 'floor' && (
        <FloorQueue
          floor={state.floor}
          me={me}
          abilities={props.abilities}
          live={live}
          actions={floorActions}
          onClose={() => setPanel('none')}
        />
      )}
      {panel === 'votes' && (
        <VotePanel
          state={state}
          me={me}
          role={role}
          abilities={props.abilities}
          members={props.members}
          currentItemLabel={props.currentItemLabel}
          hasBallot={openVote !== null && slots.some((x) => !openVote.voted[x.memberId])}
          actions={voteActions}
          onClose={() => setPanel('none')}
        />
      )}
      {showBallot && openVote && (
        <BallotCard
          key={openVote.id}
          vote={openVote}
          slots={slots}
          me={me}
          cast={cast}
          onClose={() => setDismissed(openVote.id)}
        />
      )}
      {!showBallot && resultVote?.result && role === 'secretary' && (
        // the secretary is writing the minutes: the result never covers the editor, it sits aside
        <div className="vote-toast" role="status" data-testid="vote-toast">
          <div className="ballot__kicker">{resultVote.election ? t('elections.result.title') : t('votes.result.title')}</div>
          <div className="vote-toast__line">{resultHeadline(t, resultVote.result, resultVote.choices)}</div>
          <button type="button" className="btn btn--secondary btn--compact" onClick={() => setResultFor(null)}>
            {t('common.close')}
          </button>
        </div>
      )}
      {!showBallot && resultVote?.result && role !== 'secretary' && (
        <div className="ballot-backdrop" role="presentation" onClick={() => setResultFor(null)}>
          <section
            className="ballot ballot--result"
            role="dialog"
            aria-modal="true"
            aria-label={resultVote.election ? t('elections.result.title') : t('votes.result.title')}
            onClick={(e) => e.stopPropagation()}
          >
            <div className="ballot__kicker">{resultVote.election ? t('elections.result.title') : t('votes.result.title')}</div>
            <VoteResult vote={resultVote} result={resultVote.result} nameOf={nameOf} details />
            <button
              type="button"
              className="btn btn--secondary btn--block"
              data-testid="result-close"
              onClick={() => setResultFor(null)}
            >
              {t('common.close')}
            </button>
          </section>
        </div>
      )}
    </>
  );
}
