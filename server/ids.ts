import { randomBytes } from 'node:crypto';

/** URL-safe random id (128 bits). Text ids keep the schema portable and unguessable. */
export const newId = () => randomBytes(16).toString('base64url');
export const nowIso = () => new Date().toISOString();
