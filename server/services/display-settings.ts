// Display settings per user (larger UI text, high contrast): two columns on users.
import { eq } from 'drizzle-orm';
import type { Query, Store, Tables } from '../db/store';
import { AppError } from '../errors';
import type { DisplaySettings } from '../../shared/api';

export async function getDisplaySettings(q: Query, t: Tables, userId: string): Promise<DisplaySettings> {
  const [row] = await q
    .select({ largeText: t.users.uiLargeText, highContrast: t.users.uiHighContrast })
    .from(t.users)
    .where(eq(t.users.id, userId));
  if (!row) throw new AppError('NOT_FOUND', 'No such user');
  return row;
}

export function setDisplaySettings(store: Store, userId: string, next: DisplaySettings): Promise<DisplaySettings> {
  return store.write(`user:${userId}`, async (tx, t) => {
    await tx
      .update(t.users)
      .set({ uiLargeText: next.largeText, uiHighContrast: next.highContrast })
      .where(eq(t.users.id, userId));
    return getDisplaySettings(tx, t, userId);
  });
}
