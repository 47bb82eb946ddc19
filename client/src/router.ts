// A tiny history-API router: the URL is the state (meeting, open document, page), so reload and
// the back button work. No dependency needed for a handful of routes.
import { useSyncExternalStore } from 'react';

const NAV_EVENT = 'hopso:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAV_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAV_EVENT, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAV_EVENT));
}

export interface Location {
  path: string;
  query: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, 'http://x');
  return { path: url.pathname, query: url.searchParams };
}

export type Route =
  | { name: 'meetings' }
  | { name: 'meeting'; meetingId: string; documentId: string | null; page: number; minutesKey?: string | null }
  /** the projector view; its room token rides in the hash (never sent to servers or logs) or the query */
  | { name: 'room'; meetingId: string }
  /** what the room screen's QR code opens */
  | { name: 'checkin'; meetingId: string | null; token: string | null }
  /** administrators: login throttles */
  | { name: 'loginThrottles' }
  /** administrators: accounts (source, unit, position, e-mail) */
  | { name: 'accounts' }
  /** administrators: live meetings, connected people, versions */
  | { name: 'adminStatus' }
  /** a written-opinion request (lấy ý kiến bằng văn bản) */
  | { name: 'opinion'; requestId: string }
  /** a meeting's written-opinion requests, and the office's form that asks */
  | { name: 'opinions'; meetingId: string }
  /** search results for the words in ?q= */
  | { name: 'search'; q: string }
  /** one's tasks; the overdue dashboard for chairs, secretaries, administrators */
  | { name: 'tasks' }
  /** lịch công tác tuần: the week that holds ?date= (this week without it); ?scope=unit for the office */
  | { name: 'week'; date: string | null; scope: 'mine' | 'unit' }
  /** one task: its reports and evidence; the person in charge reports here */
  | { name: 'task'; taskId: string }
  | { name: 'notFound' };

export function matchRoute(loc: Location): Route {
  if (loc.path === '/' || loc.path === '/meetings' || loc.path === '/login') return { name: 'meetings' };
  if (loc.path === '/admin/login-throttles') return { name: 'loginThrottles' };
  if (loc.path === '/admin/status') return { name: 'adminStatus' };
  if (loc.path === '/admin/accounts') return { name: 'accounts' };
  if (loc.path === '/tasks') return { name: 'tasks' };
  if (loc.path === '/week') {
    const date = loc.query.get('date');
    return {
      name: 'week',
      date: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null,
      scope: loc.query.get('scope') === 'unit' ? 'unit' : 'mine',
    };
  }
  const task = /^\/tasks\/([A-Za-z0-9_-]+)\/?$/.exec(loc.path);
  if (task?.[1]) return { name: 'task', taskId: task[1] };
  if (loc.path === '/search') return { name: 'search', q: loc.query.get('q') ?? '' };
  const room = /^\/(?:meetings\/([A-Za-z0-9_-]+)\/room|room\/([A-Za-z0-9_-]+))\/?$/.exec(loc.path);
  if (room) return { name: 'room', meetingId: (room[1] ?? room[2])! };
  const checkin = /^\/meetings\/([A-Za-z0-9_-]+)\/checkin\/?$/.exec(loc.path);
  if (checkin?.[1]) return { name: 'checkin', meetingId: checkin[1], token: loc.query.get('token') };
  if (loc.path === '/checkin') return { name: 'checkin', meetingId: loc.query.get('meeting'), token: loc.query.get('token') };
  const ops = /^\/meetings\/([A-Za-z0-9_-]+)\/opinions\/?$/.exec(loc.path);
  if (ops?.[1]) return { name: 'opinions', meetingId: ops[1] };
  const op = /^\/opinions\/([A-Za-z0-9_-]+)\/?$/.exec(loc.path);
  if (op?.[1]) return { name: 'opinion', requestId: op[1] };
  const m = /^\/meetings\/([A-Za-z0-9_-]+)\/?$/.exec(loc.path);
  if (m?.[1]) {
    const page = Number(loc.query.get('page'));
    return {
      name: 'meeting',
      meetingId: m[1],
      documentId: loc.query.get('doc'),
      page: Number.isInteger(page) && page > 0 ? page : 1,
      minutesKey: loc.query.get('minutes'),
    };
  }
  return { name: 'notFound' };
}

export function meetingHref(meetingId: string, documentId?: string | null, page?: number): string {
  const q = new URLSearchParams();
  if (documentId) q.set('doc', documentId);
  if (documentId && page && page > 1) q.set('page', String(page));
  const qs = q.toString();
  return `/meetings/${encodeURIComponent(meetingId)}${qs ? `?${qs}` : ''}`;
}
