// Mapping between the viewer's zoom and the chair's view on the wire (shared/events PageView):
// fit modes travel as they are, a fixed zoom as a ratio, so it means the same on any screen.
import type { PageView } from '../../../shared/events';
import type { MeetingState } from '../../../shared/meeting-state';
import type { MeetingRole } from '../../../shared/roles';
import type { ZoomMode } from '../viewer/zoom';

export const viewOfZoom = (z: ZoomMode): PageView =>
  z.kind === 'fit-width'
    ? { fit: 'width' }
    : z.kind === 'fit-page'
      ? { fit: 'page' }
      : { fit: 'custom', zoom: Math.min(10, Math.max(0.1, z.scale)) };

export const zoomOfView = (v: PageView): ZoomMode =>
  v.fit === 'width' ? { kind: 'fit-width' } : v.fit === 'page' ? { kind: 'fit-page' } : { kind: 'scale', scale: v.zoom ?? 1 };

export const isLive = (s: MeetingState | null): s is MeetingState =>
  s !== null && (s.status === 'running' || s.status === 'paused');

/**
 * The chair (`controlMeeting`, from the server's abilities), or the presenter the chair named, turns
 * pages for everyone (server: policies/meeting-policy canPresent).
 */
export function canPresent(s: MeetingState | null, controlMeeting: boolean, role: MeetingRole | null, userId: string): boolean {
  return isLive(s) && (controlMeeting || (role !== null && s.presenterId === userId));
}
