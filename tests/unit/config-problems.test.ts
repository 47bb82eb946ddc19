// The configuration checked at start (server/config.ts configProblems): each mistake in the
// directory and metrics settings is named in one sentence; a sound configuration has none.
import { describe, expect, it } from 'vitest';
import { configProblems, loadConfig } from '../../server/config';

const ldapEnv = {
  NODE_ENV: 'test',
  LDAP_URL: 'ldap://127.0.0.1:389',
  LDAP_USER_BASE: 'ou=people,dc=example,dc=vn',
  LDAP_BIND_DN: 'cn=svc,dc=example,dc=vn',
  LDAP_BIND_PASSWORD: 'secret',
};

describe('configProblems', () => {
  it('accepts the defaults and a complete directory configuration', () => {
    expect(configProblems(loadConfig({ NODE_ENV: 'test' }))).toEqual([]);
    const c = loadConfig(ldapEnv);
    expect(configProblems(c)).toEqual([]);
    expect(c.ldap).toMatchObject({
      usernameAttribute: 'uid',
      userFilter: '(objectClass=person)',
      fullNameAttribute: 'cn',
      unitAttribute: 'ou',
      positionAttribute: 'title',
      timeoutMs: 5000,
    });
    expect(loadConfig({ NODE_ENV: 'test' }).ldap).toBeUndefined();
  });

  it('names each mistake', () => {
    const problems = (env: Record<string, string>) => configProblems(loadConfig({ ...ldapEnv, ...env })).join('\n');
    expect(problems({ LDAP_URL: 'http://dir.example.vn' })).toMatch(/LDAP_URL must be ldap:\/\/host/);
    expect(problems({ LDAP_USER_BASE: '' })).toMatch(/LDAP_USER_BASE is required/);
    expect(problems({ LDAP_USERNAME_ATTRIBUTE: 'uid)(x=*' })).toMatch(/LDAP_USERNAME_ATTRIBUTE must be an attribute name/);
    expect(problems({ LDAP_UNIT_ATTRIBUTE: 'ou;x' })).toMatch(/LDAP_UNIT_ATTRIBUTE must be an attribute name/);
    expect(problems({ LDAP_USER_FILTER: 'objectClass=person' })).toMatch(/LDAP_USER_FILTER must be an LDAP filter/);
    expect(problems({ LDAP_BIND_PASSWORD: '' })).toMatch(/LDAP_BIND_PASSWORD is required/);
    expect(problems({ METRICS_TOKEN: 'short' })).toMatch(/METRICS_TOKEN must be at least 16/);
    expect(problems({ DIRECTORY_RECHECK_SECONDS: '0.1' })).toMatch(/DIRECTORY_RECHECK_SECONDS must be at least 1/);
  });

  it('checks the OpenID Connect settings', () => {
    const oidcEnv = {
      NODE_ENV: 'test',
      PUBLIC_URL: 'https://hop.example.vn',
      OIDC_ISSUER: 'https://sso.example.vn/realms/tinh',
      OIDC_CLIENT_ID: 'hop-so',
    };
    const c = loadConfig(oidcEnv);
    expect(configProblems(c)).toEqual([]);
    expect(c.oidc).toMatchObject({
      redirectUrl: 'https://hop.example.vn/api/auth/oidc/callback',
      scopes: 'openid profile email',
      label: 'OpenID Connect',
      usernameClaim: 'preferred_username',
      fullNameClaim: 'name',
      emailClaim: 'email',
      groupsClaim: 'groups',
      adminGroup: '',
    });
    expect(loadConfig({ NODE_ENV: 'test' }).oidc).toBeUndefined();
    // plain http only to a provider on this machine
    expect(configProblems(loadConfig({ ...oidcEnv, OIDC_ISSUER: 'http://127.0.0.1:8080' }))).toEqual([]);
    const problems = (env: Record<string, string>) => configProblems(loadConfig({ ...oidcEnv, ...env })).join('\n');
    expect(problems({ OIDC_ISSUER: 'http://sso.example.vn' })).toMatch(/OIDC_ISSUER must be an https:\/\/ URL/);
    expect(problems({ OIDC_ISSUER: 'not a url' })).toMatch(/OIDC_ISSUER must be/);
    expect(problems({ OIDC_CLIENT_ID: '' })).toMatch(/OIDC_CLIENT_ID is required/);
    // a URL of the wrong scheme is refused by the schema itself (config-schema.ts), before these rules
    expect(() => problems({ OIDC_REDIRECT_URL: 'ftp://x' })).toThrow(/OIDC_REDIRECT_URL must start with http:\/\/ or https:\/\//);
    expect(problems({ OIDC_SCOPES: 'profile email' })).toMatch(/OIDC_SCOPES must include openid/);
    expect(problems({ OIDC_POST_LOGOUT_REDIRECT_URL: '/relative' })).toMatch(/OIDC_POST_LOGOUT_REDIRECT_URL must be a URL/);
    expect(loadConfig({ ...ldapEnv }).ldap?.mailAttribute).toBe('mail');
    expect(problems({ ...ldapEnv, LDAP_MAIL_ATTRIBUTE: 'mail)(x' })).toMatch(/LDAP_MAIL_ATTRIBUTE must be an attribute name/);
  });
});
