import { describe, expect, it } from 'vitest';
import { applyEvent, applyEvents, initialMeetingState, quorumOf } from '../../shared/meeting-state';
import type { LiveEvent } from '../../shared/events';

let seq = 0;
const ev = (type: string, payload: unknown, actor = 'chair'): LiveEvent => ({
  meetingId: 'm',
  seq: ++seq,
  type,
  actor,
  at: `2026-11-21T01:30:${String(seq).padStart(2, '0')}.000Z`,
  payload,
});

describe('applyEvent', () => {
  it('folds meeting control, follow state and attendance', () => {
    seq = 0;
    const s = applyEvents(initialMeetingState('m', ['chair', 'd1', 'd2']), [
      ev('meeting.start', {}),
      ev('agenda.open', { itemId: 'i1' }),
      ev('document.show', { documentId: 'doc' }),
      ev('page.set', { documentId: 'doc', page: 3, view: { fit: 'width' } }),
      ev('page.set', { documentId: 'doc', page: 4 }),
      ev('presenter.set', { userId: 'd1' }),
      ev('attendance.mark', { userId: 'd2', status: 'excused', reason: 'công tác' }, 'secretary'),
      ev('attendance.checkIn', { userId: 'd1', via: 'qr' }, 'd1'),
      ev('meeting.pause', {}),
    ]);
    expect(s).toMatchObject({
      status: 'paused',
      startedAt: '2026-11-21T01:30:01.000Z',
      currentItemId: 'i1',
      presenterId: 'd1',
      lastSeq: 9,
      follow: { documentId: 'doc', page: 4, view: { fit: 'width' } },
    });
    expect(s.attendance.d2).toMatchObject({ status: 'excused', reason: 'công tác', by: 'secretary', via: 'mark' });
    expect(s.attendance.d1).toMatchObject({ status: 'present', by: 'd1', via: 'qr' });
    expect(quorumOf(s)).toMatchObject({ members: 3, present: 1, required: 2, reached: false });
  });

  it('is pure, skips duplicates and old events, and only advances seq for unknown types', () => {
    seq = 0;
    const s0 = initialMeetingState('m');
    const start = ev('meeting.start', {});
    const s1 = applyEvent(s0, start);
    expect(s0.status).toBe('scheduled');
    expect(applyEvent(s1, start)).toBe(s1);
    const s2 = applyEvent(s1, ev('stroke.add', { anything: true }));
    expect(s2).toEqual({ ...s1, lastSeq: 2 });
  });

  it('showing another document starts at its first page with no view', () => {
    seq = 0;
    const s = applyEvents(initialMeetingState('m'), [
      ev('page.set', { documentId: 'a', page: 7, view: { fit: 'custom', zoom: 2 } }),
      ev('document.show', { documentId: 'b' }),
    ]);
    expect(s.follow).toEqual({ documentId: 'b', page: 1, view: null });
  });
});
