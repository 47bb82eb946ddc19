// LDAP / Active Directory through ldapts: a password is checked by binding as the person (the
// directory's own rules apply: lockouts, expiry), after the service account found their entry.
// Every value a person types goes into a filter only through Filter.escape (RFC 4515), so
// "*)(uid=*" matches nobody instead of everybody.
import type * as Ldapts from 'ldapts';
import type { Client, Entry } from 'ldapts';
import type { LdapConfig } from '../config';

/** What the directory says about a person: who they are, and which mapped groups they are in. */
export interface DirectoryPerson {
  /** the entry's DN: the account's stable id here */
  dn: string;
  username: string;
  fullName: string;
  unit: string | null;
  position: string | null;
  /** the directory's e-mail address for the person (LDAP_MAIL_ATTRIBUTE, OIDC's email claim); null: none */
  email: string | null;
  /** undefined when that group is not configured: the role is then managed in Họp Số */
  isAdmin: boolean | undefined;
  isOrganiser: boolean | undefined;
}

/** The directory did not answer (down, refused, timed out, or the service account was refused). */
export class DirectoryUnavailable extends Error {}

const first = (v: Entry[string] | undefined): string | null => {
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined) return null;
  const s = (Buffer.isBuffer(x) ? x.toString('utf8') : String(x)).trim();
  return s || null;
};

/** A directory's e-mail value kept only when it looks like one address (notifications send to it). */
export const plausibleEmail = (v: string | null): string | null =>
  v && v.length <= 254 && /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(v) ? v : null;

// ldapts is loaded by the first sign-in or look-up, not at start (a server without LDAP never loads
// it); `lib` is set by the two public methods before anything below uses it
let loading: Promise<typeof Ldapts> | undefined;
let lib: typeof Ldapts;
const loadLdapts = async () => {
  lib = await (loading ??= import('ldapts'));
};

export class LdapDirectory {
  constructor(private readonly cfg: LdapConfig) {}

  private client(): Client {
    return new lib.Client({ url: this.cfg.url, timeout: this.cfg.timeoutMs, connectTimeout: this.cfg.timeoutMs });
  }

  /** A person's entry and groups through the service account; null when no ENABLED account matches. */
  private async find(client: Client, match: { username: string } | { dn: string }): Promise<DirectoryPerson | null> {
    const c = this.cfg;
    if (c.bindDn) await client.bind(c.bindDn, c.bindPassword);
    const attributes = [c.usernameAttribute, c.fullNameAttribute, c.unitAttribute, c.positionAttribute, c.mailAttribute];
    let entries: Entry[];
    try {
      entries =
        'username' in match
          ? (
              await client.search(c.userBase, {
                scope: 'sub',
                sizeLimit: 2,
                attributes,
                filter: `(&${c.userFilter}(${c.usernameAttribute}=${lib.Filter.escape(match.username)}))`,
              })
            ).searchEntries
          : // an account already known: read its own entry; still filtered, so a disabled one is not found
            (await client.search(match.dn, { scope: 'base', attributes, filter: c.userFilter })).searchEntries;
    } catch (e) {
      if (e instanceof lib.NoSuchObjectError) return null;
      throw e;
    }
    // two entries for one username: ambiguous, so nobody (never the first one that happens to come)
    if (entries.length !== 1) return null;
    const e = entries[0]!;
    const username = first(e[c.usernameAttribute]);
    if (!username) return null;
    return {
      dn: e.dn,
      username,
      fullName: first(e[c.fullNameAttribute]) ?? username,
      unit: first(e[c.unitAttribute]),
      position: first(e[c.positionAttribute]),
      email: plausibleEmail(first(e[c.mailAttribute])),
      isAdmin: c.adminGroupDn ? await this.inGroup(client, c.adminGroupDn, e.dn, username) : undefined,
      isOrganiser: c.organiserGroupDn ? await this.inGroup(client, c.organiserGroupDn, e.dn, username) : undefined,
    };
  }

  /** groupOfNames (member), groupOfUniqueNames (uniqueMember), AD groups (member), posixGroup (memberUid) */
  private async inGroup(client: Client, groupDn: string, dn: string, username: string): Promise<boolean> {
    const filter = `(|(member=${lib.Filter.escape(dn)})(uniqueMember=${lib.Filter.escape(dn)})(memberUid=${lib.Filter.escape(username)}))`;
    try {
      return (await client.search(groupDn, { scope: 'base', filter, attributes: ['dn'] })).searchEntries.length > 0;
    } catch (e) {
      if (e instanceof lib.NoSuchObjectError) return false;
      throw e;
    }
  }

  /**
   * The person behind username + password, or null for a wrong password, an unknown, ambiguous or
   * disabled account. Throws DirectoryUnavailable when the directory cannot say.
   */
  async authenticate(username: string, password: string): Promise<DirectoryPerson | null> {
    // an empty password is an "unauthenticated bind" that LDAP servers accept: never a sign-in
    if (!password || !username.trim()) return null;
    await loadLdapts();
    const client = this.client();
    try {
      const person = await this.find(client, { username: username.trim() });
      if (!person) return null;
      const own = this.client();
      try {
        await own.bind(person.dn, password);
      } catch (e) {
        if (e instanceof lib.InvalidCredentialsError) return null;
        throw e;
      } finally {
        await own.unbind().catch(() => undefined);
      }
      return person;
    } catch (e) {
      throw e instanceof DirectoryUnavailable ? e : new DirectoryUnavailable(e instanceof Error ? e.message : String(e));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** An account known by its DN as it is now: null when gone or disabled; throws DirectoryUnavailable. */
  async lookup(dn: string): Promise<DirectoryPerson | null> {
    await loadLdapts();
    const client = this.client();
    try {
      return await this.find(client, { dn });
    } catch (e) {
      throw new DirectoryUnavailable(e instanceof Error ? e.message : String(e));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}
