// Who may see which week view (lịch công tác tuần, issue 15). Everyone sees their own meetings. The
// office's view of a unit's week — as the office publishes it to the agency — is for an administrator
// (every meeting) and an organiser (the meetings whose unit is their own unit). It lists the schedule
// only (title, time, place, unit); opening a meeting still takes membership (meeting-policy.ts).
import type { users } from '../db/schema';

type Viewer = Pick<typeof users.$inferSelect, 'isAdmin' | 'isOrganiser' | 'unit'>;

export const mayViewUnitWeek = (u: Viewer): boolean => u.isAdmin || (u.isOrganiser && !!u.unit?.trim());

/** For the unit's view: whether a meeting of unit `organization` is on this viewer's schedule. */
export function unitScheduleIncludes(u: Viewer, organization: string | null): boolean {
  if (u.isAdmin) return true;
  const mine = u.unit?.trim().toLocaleLowerCase('vi');
  return !!mine && organization?.trim().toLocaleLowerCase('vi') === mine;
}
