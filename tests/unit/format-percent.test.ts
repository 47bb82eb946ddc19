// The one percentage formatter used by vote results and the minutes.
import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../shared/format-percent';

describe('formatPercent', () => {
  it('uses a decimal comma and two decimals', () => {
    expect(formatPercent(12, 15)).toBe('80,00%');
    expect(formatPercent(2, 3)).toBe('66,67%');
    expect(formatPercent(1, 3)).toBe('33,33%');
    expect(formatPercent(15, 15)).toBe('100,00%');
    expect(formatPercent(0, 15)).toBe('0,00%');
    expect(formatPercent(0, 0)).toBe('0,00%');
  });
  it('rounds half up exactly (no binary floating point)', () => {
    expect(formatPercent(1, 8)).toBe('12,50%');
    expect(formatPercent(1, 800)).toBe('0,13%'); // 0.125 → 0.13
    expect(formatPercent(1, 16, 1)).toBe('6,3%'); // 6.25 → 6.3
    expect(formatPercent(1, 3, 0)).toBe('33%');
  });
  it('refuses non-integers and negatives', () => {
    expect(() => formatPercent(1.5, 3)).toThrow(RangeError);
    expect(() => formatPercent(-1, 3)).toThrow(RangeError);
  });
  it('is exact where binary floating point is not', () => {
    expect(formatPercent(1, 16)).toBe('6,25%');
  });
});
