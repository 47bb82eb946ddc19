import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { client, session, type Session } from '../helpers/http';

let t: TestApp;
let admin: Session, chair: Session;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await session(t.app, 'admin');
  chair = await session(t.app, 'chair');
});
afterAll(async () => { await t.close(); });

describe('accounts', () => {
  it('an admin creates an account that can log in, renames it, resets its password, and deletes it', async () => {
    const made = await admin.post('/api/users', { username: 'Khach.Moi', fullName: 'Ngô Thị Khách', password: 'mat-khau-1' });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ username: 'khach.moi', fullName: 'Ngô Thị Khách', isAdmin: false });
    const id = made.json().id;
    const guest = await session(t.app, 'khach.moi', 'mat-khau-1');
    expect((await admin.patch(`/api/users/${id}`, { fullName: 'Ngô Thị Khách Mời' })).json().fullName).toBe('Ngô Thị Khách Mời');
    expect((await admin.patch(`/api/users/${id}`, { password: 'mat-khau-2' })).statusCode).toBe(200);
    // a new password ends the old sessions
    expect((await guest.get('/api/auth/me')).statusCode).toBe(401);
    await session(t.app, 'khach.moi', 'mat-khau-2');
    expect((await admin.get('/api/users')).json().map((u: { username: string }) => u.username)).toContain('khach.moi');
    expect((await admin.del(`/api/users/${id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'khach.moi', password: 'mat-khau-2' } })).statusCode).toBe(401);
  });

  it('refuses duplicates, weak input and non-admins; never returns password hashes', async () => {
    expect((await admin.post('/api/users', { username: 'chair', fullName: 'X', password: 'abcdefgh' })).statusCode).toBe(409);
    for (const body of [{ username: 'a', fullName: 'X', password: 'abcdefgh' }, { username: 'ok', fullName: 'X', password: 'short' }, { username: 'có dấu', fullName: 'X', password: 'abcdefgh' }]) {
      expect((await admin.post('/api/users', body)).statusCode).toBe(400);
    }
    expect((await chair.post('/api/users', { username: 'hacker', fullName: 'X', password: 'abcdefgh' })).statusCode).toBe(403);
    expect((await chair.get('/api/users')).statusCode).toBe(403);
    const list = await admin.get('/api/users');
    expect(list.body).not.toMatch(/scrypt|passwordHash|password_hash/);
  });

  it('an admin cannot delete or demote themself', async () => {
    expect((await admin.del(`/api/users/${admin.userId}`)).statusCode).toBe(409);
    expect((await admin.patch(`/api/users/${admin.userId}`, { isAdmin: false })).statusCode).toBe(409);
    expect((await client(t.app, admin.cookie).get('/api/auth/me')).json().user.isAdmin).toBe(true);
  });
});
