import { describe, expect, it } from 'vitest';
import Schema from 'typebox/schema';
import {
  MinutesDocumentSchema,
  formatCount2,
  formatIsoVn,
  formatStampTime,
  formatPlaceDate,
  formatVnDate,
  formatVnDateTime,
  formatVnTime,
  sameVnDay,
} from '../../shared/minutes';
import { buildMinutes } from '../helpers/minutes-fixture';

describe('Vietnamese date and time formatting (UTC+7)', () => {
  it('writes the administrative date line', () => {
    expect(formatVnDate('2026-11-21T01:30:00Z')).toBe('ngày 21 tháng 11 năm 2026');
    expect(formatPlaceDate('Hà Nội', '2026-11-21T01:30:00Z')).toBe('Hà Nội, ngày 21 tháng 11 năm 2026');
  });
  it('pads days below 10 and months 1 and 2 only (Decree 30)', () => {
    expect(formatVnDate('2026-01-05T03:00:00Z')).toBe('ngày 05 tháng 01 năm 2026');
    expect(formatVnDate('2026-02-09T03:00:00Z')).toBe('ngày 09 tháng 02 năm 2026');
    expect(formatVnDate('2026-03-09T03:00:00Z')).toBe('ngày 09 tháng 3 năm 2026');
  });
  it('uses Vietnam time, not UTC, across midnight', () => {
    // 17:30 UTC on the 20th is 00:30 on the 21st in Hà Nội
    expect(formatVnDateTime('2026-11-20T17:30:00Z')).toBe('00 giờ 30 phút, ngày 21 tháng 11 năm 2026');
    expect(formatVnTime(new Date('2026-11-21T01:30:00Z'))).toBe('08 giờ 30 phút');
    expect(formatVnDateTime('2026-11-21T08:30:00+07:00')).toBe('08 giờ 30 phút, ngày 21 tháng 11 năm 2026');
    expect(sameVnDay('2026-11-20T17:30:00Z', '2026-11-21T10:00:00Z')).toBe(true);
    expect(sameVnDay('2026-11-20T16:30:00Z', '2026-11-20T17:30:00Z')).toBe(false);
  });
  it("writes a signature stamp's time in Vietnam time, to the second, never ISO", () => {
    expect(formatStampTime('2026-11-21T04:30:05Z')).toBe('11:30:05 ngày 21/11/2026');
    expect(formatStampTime('2026-12-31T17:00:00Z')).toBe('00:00:00 ngày 01/01/2027');
  });

  it('writes ISO 8601 with +07:00 for signature marks', () => {
    expect(formatIsoVn('2026-11-21T04:30:05Z')).toBe('2026-11-21T11:30:05+07:00');
  });
  it('rejects invalid dates instead of printing NaN', () => {
    expect(() => formatVnDate('not a date')).toThrow(RangeError);
  });
});

describe('MinutesDocument schema', () => {
  const check = Schema.Compile(MinutesDocumentSchema);
  it('accepts the realistic fixture', () => {
    expect(check.Check(buildMinutes())).toBe(true);
  });
  it('rejects a speaker kind outside speak/question', () => {
    const doc = buildMinutes();
    const bad = { ...doc, agendaItems: [{ ...doc.agendaItems[0]!, speakers: [{ fullName: 'A', kind: 'shout' }] }] };
    expect(check.Check(bad)).toBe(false);
  });
});

describe('formatCount2', () => {
  it('writes small counts with two digits', () => {
    expect(formatCount2(3)).toBe('03');
    expect(formatCount2(12)).toBe('12');
  });
});
