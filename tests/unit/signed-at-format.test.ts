// Signing times in the minutes panel read as Vietnamese documents write them (issue 21), not raw ISO.
import { describe, expect, it } from 'vitest';
import { formatSignedAt } from '../../shared/minutes';

describe('formatSignedAt', () => {
  it('writes Vietnamese time in Vietnamese words, in Vietnam time', () => {
    // 03:05 UTC is 10:05 in Vietnam (UTC+7)
    expect(formatSignedAt('2026-12-04T03:05:09.123Z', 'vi')).toBe('10 giờ 05 phút, ngày 04 tháng 12 năm 2026');
    // just after 17:00 UTC on New Year's Eve is already the next year in Vietnam
    expect(formatSignedAt('2026-12-31T17:30:00Z', 'vi')).toBe('00 giờ 30 phút, ngày 01 tháng 01 năm 2027');
  });

  it('writes English dates in words with the time zone named', () => {
    expect(formatSignedAt('2026-12-04T03:05:09Z', 'en')).toBe('4 December 2026, 10:05 (Vietnam time)');
  });

  it('never shows ISO text for a valid time, and leaves an unreadable one as it came', () => {
    expect(formatSignedAt('2026-12-04T03:05:09Z', 'vi')).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(formatSignedAt('not a time', 'vi')).toBe('not a time');
  });
});
