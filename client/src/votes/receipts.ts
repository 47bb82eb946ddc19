// The voter's own receipt codes, kept on this device only (the server forgets who holds which one
// when the vote closes), so the published list can be checked later: voteId → memberId → receipt.
const KEY = 'hopso.receipts';

type Stored = Record<string, Record<string, string>>;

function read(): Stored {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : {};
  } catch {
    return {};
  }
}

export function saveReceipt(voteId: string, memberId: string, receipt: string): void {
  const all = read();
  all[voteId] = { ...all[voteId], [memberId]: receipt };
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // storage blocked: the receipt is still on screen
  }
}

export function receiptsOf(voteId: string): Record<string, string> {
  return read()[voteId] ?? {};
}
