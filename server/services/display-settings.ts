// Display settings per user (larger UI text, high contrast): two columns on users.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { AppError } from '../errors';
import type { DisplaySettings } from '../../shared/api';

export function getDisplaySettings(db: Db, userId: string): DisplaySettings {
  const row = db
    .select({ largeText: users.uiLargeText, highContrast: users.uiHighContrast })
    .from(users)
    .where(eq(users.id, userId))
    .get();
  if (!row) throw new AppError('NOT_FOUND', 'No such user');
  return row;
}

export function setDisplaySettings(db: Db, userId: string, next: DisplaySettings): DisplaySettings {
  db.update(users).set({ uiLargeText: next.largeText, uiHighContrast: next.highContrast }).where(eq(users.id, userId)).run();
  return getDisplaySettings(db, userId);
}
