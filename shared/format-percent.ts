// One percentage formatter for votes and minutes: exact integer arithmetic, Vietnamese comma decimal.
/**
 * part/whole as a percentage with a decimal comma, rounded half up: (12, 15) → "80,00%",
 * (2, 3) → "66,67%". Integer arithmetic, so no binary floating-point surprises in a legal record.
 * A zero whole gives "0,00%".
 */
export function formatPercent(part: number, whole: number, decimals = 2): string {
  if (!Number.isInteger(part) || !Number.isInteger(whole) || part < 0 || whole < 0) {
    throw new RangeError('formatPercent expects non-negative integers');
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 6) throw new RangeError('decimals must be 0..6');
  if (whole === 0) return decimals ? `0,${'0'.repeat(decimals)}%` : '0%';
  const scale = 10n ** BigInt(decimals + 2);
  const num = BigInt(part) * scale;
  const den = BigInt(whole);
  const scaled = (num * 2n + den) / (2n * den); // round half up
  const unit = 10n ** BigInt(decimals);
  const intPart = (scaled / unit).toString();
  if (!decimals) return `${intPart}%`;
  const frac = (scaled % unit).toString().padStart(decimals, '0');
  return `${intPart},${frac}%`;
}
