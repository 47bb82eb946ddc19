import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/build-app';
import { client, session, type Session } from '../helpers/http';
import { upsertDirectoryUser } from '../../server/services/directory-accounts';

let t: TestApp;
let admin: Session, chair: Session;
beforeAll(async () => {
  t = await buildTestApp();
  admin = await session(t.app, 'admin');
  chair = await session(t.app, 'chair');
});
afterAll(async () => {
  await t.close();
});

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
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'khach.moi', password: 'mat-khau-2' } }))
        .statusCode,
    ).toBe(401);
  });

  it('refuses duplicates, weak input and non-admins; never returns password hashes', async () => {
    expect((await admin.post('/api/users', { username: 'chair', fullName: 'X', password: 'abcdefgh' })).statusCode).toBe(409);
    for (const body of [
      { username: 'a', fullName: 'X', password: 'abcdefgh' },
      { username: 'ok', fullName: 'X', password: 'short' },
      { username: 'có dấu', fullName: 'X', password: 'abcdefgh' },
    ]) {
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

describe('e-mail and directory accounts', () => {
  it("an administrator sets and clears a local account's e-mail; the list shows it with source, unit and position; a bad address is refused", async () => {
    const made = (
      await admin.post('/api/users', {
        username: 'thu.ky2',
        fullName: 'Vũ Thị Thư',
        password: 'mat-khau-1',
        unit: 'Văn phòng',
        position: 'Chuyên viên',
      })
    ).json();
    expect(made.email).toBeNull();
    const set = await admin.patch(`/api/users/${made.id}`, { email: 'thu.vt@vp.example.vn' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ email: 'thu.vt@vp.example.vn', authSource: 'local' });
    expect((await admin.get('/api/users')).json().find((u: { id: string }) => u.id === made.id)).toMatchObject({
      email: 'thu.vt@vp.example.vn',
      authSource: 'local',
      unit: 'Văn phòng',
      position: 'Chuyên viên',
    });
    const bad = await admin.patch(`/api/users/${made.id}`, { email: 'not an address' });
    expect(bad.statusCode).toBe(400);
    expect((await admin.get('/api/users')).json().find((u: { id: string }) => u.id === made.id).email).toBe(
      'thu.vt@vp.example.vn',
    );
    expect((await chair.patch(`/api/users/${made.id}`, { email: 'x@example.vn' })).statusCode).toBe(403);
    expect((await admin.patch(`/api/users/${made.id}`, { email: null })).json().email).toBeNull();
    // the e-mail is the administrators' to see: /api/auth/me and member lists do not carry it
    expect((await chair.get('/api/auth/me')).json().user).not.toHaveProperty('email');
  });

  it("a directory account: its owned fields and a password are refused; a role no directory group maps stays the administrators'", async () => {
    // an LDAP account as the directory creates it (no directory configured here: no group mapped)
    const row = await t.app.database.write(null, (tx, tt) =>
      upsertDirectoryUser(tx, tt, 'ldap', {
        dn: 'uid=hoang,ou=people,dc=example',
        username: 'hoang',
        fullName: 'Hoàng Văn Em',
        unit: 'Sở Y tế',
        position: 'Phó Giám đốc',
        email: 'em.hv@syt.example.vn',
        isAdmin: undefined,
        isOrganiser: undefined,
      }),
    );
    const owned = await admin.patch(`/api/users/${row.id}`, { email: 'khac@example.vn' });
    expect(owned.statusCode).toBe(409);
    expect(owned.json().error).toMatchObject({ code: 'DIRECTORY_OWNED', details: { fields: ['email'] } });
    const pw = await admin.patch(`/api/users/${row.id}`, { password: 'mat-khau-moi-1' });
    expect(pw.statusCode).toBe(409);
    expect(pw.json().error.code).toBe('DIRECTORY_PASSWORD');
    const role = await admin.patch(`/api/users/${row.id}`, { isOrganiser: true });
    expect(role.statusCode).toBe(200);
    expect(role.json()).toMatchObject({ isOrganiser: true, email: 'em.hv@syt.example.vn', fullName: 'Hoàng Văn Em' });
  });
});
