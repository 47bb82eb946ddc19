// A private OpenLDAP directory for one test file: Debian's slapd run with its own slapd.conf and
// mdb database in a temp dir, on 127.0.0.1 and a port of its own, loaded (slapadd) with a small
// organisation before it starts: people with Vietnamese names, units and positions, and two groups.
// Stopped (SIGKILL: an outage) and started again on the same port by outage tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './server-process';

export const LDAP_BASE = 'dc=hopso,dc=test';
export const LDAP_PEOPLE = `ou=people,${LDAP_BASE}`;
export const LDAP_GROUPS = `ou=groups,${LDAP_BASE}`;
export const LDAP_ADMIN_DN = `cn=admin,${LDAP_BASE}`;
export const LDAP_ADMIN_PASSWORD = 'directory-admin-secret';
export const LDAP_ADMIN_GROUP = `cn=hop-admins,${LDAP_GROUPS}`;
export const LDAP_ORGANISER_GROUP = `cn=hop-organisers,${LDAP_GROUPS}`;

export interface LdapPerson {
  uid: string;
  password: string;
  cn: string;
  unit: string;
  title: string;
  mail?: string;
}

/** The directory every LDAP test starts with. */
export const LDAP_PEOPLE_SEED: LdapPerson[] = [
  {
    uid: 'nguyenvana',
    password: 'mat-khau-A1',
    cn: 'Nguyễn Văn An',
    unit: 'Sở Tư pháp',
    title: 'Giám đốc',
    mail: 'an.nv@stp.example.vn',
  },
  { uid: 'tranthib', password: 'mat-khau-B2', cn: 'Trần Thị Bình', unit: 'Văn phòng UBND tỉnh', title: 'Chánh Văn phòng' },
  { uid: 'leminhc', password: 'mat-khau-C3', cn: 'Lê Minh Châu', unit: 'Sở Nội vụ', title: 'Chuyên viên' },
];

export interface LdapServer {
  url: string;
  port: number;
  dir: string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  close: () => Promise<void>;
}

/** LDIF values that are not plain ASCII go base64 (RFC 2849: `attr:: <base64>`). */
const ldifLine = (attr: string, value: string) =>
  /^[\x20-\x7e]*$/.test(value) && !value.startsWith(' ') && !value.startsWith(':') && !value.startsWith('<')
    ? `${attr}: ${value}`
    : `${attr}:: ${Buffer.from(value, 'utf8').toString('base64')}`;

function seedLdif(people: LdapPerson[]): string {
  const entries: string[][] = [
    ['dn: ' + LDAP_BASE, 'objectClass: dcObject', 'objectClass: organization', 'dc: hopso', 'o: Hop So test'],
    [`dn: ${LDAP_PEOPLE}`, 'objectClass: organizationalUnit', 'ou: people'],
    [`dn: ${LDAP_GROUPS}`, 'objectClass: organizationalUnit', 'ou: groups'],
    ...people.map((p) => [
      `dn: uid=${p.uid},${LDAP_PEOPLE}`,
      'objectClass: inetOrgPerson',
      `uid: ${p.uid}`,
      ldifLine('cn', p.cn),
      ldifLine('sn', p.cn.split(' ').at(-1) ?? p.cn),
      ldifLine('ou', p.unit),
      ldifLine('title', p.title),
      ...(p.mail ? [`mail: ${p.mail}`] : []),
      `userPassword: ${p.password}`,
    ]),
    [`dn: ${LDAP_ADMIN_GROUP}`, 'objectClass: groupOfNames', 'cn: hop-admins', `member: uid=nguyenvana,${LDAP_PEOPLE}`],
    [`dn: ${LDAP_ORGANISER_GROUP}`, 'objectClass: groupOfNames', 'cn: hop-organisers', `member: uid=tranthib,${LDAP_PEOPLE}`],
  ];
  return entries.map((e) => e.join('\n')).join('\n\n') + '\n';
}

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const c = net.connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });

export async function startLdap(people: LdapPerson[] = LDAP_PEOPLE_SEED): Promise<LdapServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hopso-ldap-'));
  fs.mkdirSync(path.join(dir, 'db'));
  const conf = path.join(dir, 'slapd.conf');
  fs.writeFileSync(
    conf,
    [
      ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
      `pidfile ${dir}/slapd.pid`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      // people may read the directory and change nothing; passwords are only compared (bind)
      'access to attrs=userPassword by anonymous auth by * none',
      'access to * by * read',
      'database mdb',
      `suffix "${LDAP_BASE}"`,
      `rootdn "${LDAP_ADMIN_DN}"`,
      `rootpw ${LDAP_ADMIN_PASSWORD}`,
      `directory ${dir}/db`,
      'maxsize 16777216',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(dir, 'seed.ldif'), seedLdif(people));
  const add = spawnSync('/usr/sbin/slapadd', ['-f', conf, '-l', path.join(dir, 'seed.ldif')], { encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`slapadd failed: ${add.stderr}`);

  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  const start = async () => {
    // -d 0: stay in the foreground (a child we can kill), log nothing
    child = spawn('/usr/sbin/slapd', ['-f', conf, '-h', `${url}/`, '-d', '0'], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (!(await answers(port))) {
      if (child.exitCode !== null) throw new Error(`slapd exited (${child.exitCode})`);
      if (Date.now() > deadline) throw new Error('slapd did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGKILL');
    });
  await start();
  return {
    url,
    port,
    dir,
    stop,
    start,
    close: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
