// React side of the live store: one store per tab, read with useSyncExternalStore.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { acquireLiveStore, type LiveSnapshot, type LiveStore } from './live-store';

export function useLiveMeeting(
  meetingId: string,
  opts: { roomToken?: string; enabled?: boolean } = {},
): { store: LiveStore | null; live: LiveSnapshot | null } {
  const enabled = opts.enabled ?? true;
  const [store, setStore] = useState<LiveStore | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const { store: s, release } = acquireLiveStore(meetingId, opts.roomToken);
    setStore(s);
    return () => {
      release();
      setStore(null);
    };
  }, [meetingId, opts.roomToken, enabled]);
  const live = useSyncExternalStore(store ? store.subscribe : noopSubscribe, store ? store.getSnapshot : nullSnapshot);
  return { store, live };
}

const noopSubscribe = () => () => {};
const nullSnapshot = () => null;
