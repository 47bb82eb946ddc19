// Số bản: one rule for the server, the client's check before saving and the PDF (issue 23: "05"
// was refused while the PDF prints "05 bản").
import { describe, expect, it } from 'vitest';
import { parseCopies } from '../../shared/minutes-draft';

describe('parseCopies', () => {
  it('accepts 1 to 99 with or without a leading zero, spaces around ignored', () => {
    expect(parseCopies('05')).toBe(5);
    expect(parseCopies('5')).toBe(5);
    expect(parseCopies(' 12 ')).toBe(12);
    expect(parseCopies('99')).toBe(99);
    expect(parseCopies('01')).toBe(1);
  });
  it('refuses anything else', () => {
    for (const bad of ['', '0', '00', '100', '005', '3.5', '-3', 'ba', '5 bản', '٥']) expect(parseCopies(bad)).toBeNull();
  });
});
