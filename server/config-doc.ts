// docs/configuration.md from the schema (server/config-schema.ts), so the list of variables cannot
// fall behind the code: `npm run docs:config` writes it, tests/unit/config-schema.test.ts compares.
import { CONFIG_GROUPS, ConfigEnv } from './config-schema';

interface PropSchema {
  type?: string;
  anyOf?: Array<{ const: string }>;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  pattern?: string;
  maxLength?: number;
}

/** What a variable accepts, in words. */
function accepts(p: PropSchema): string {
  if (p.anyOf) return p.anyOf.map((a) => `\`${a.const}\``).join(', ');
  const range = [
    p.minimum !== undefined ? `≥ ${p.minimum}` : '',
    p.exclusiveMinimum !== undefined ? `> ${p.exclusiveMinimum}` : '',
    p.maximum !== undefined ? `≤ ${p.maximum}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const kind = p.type === 'integer' ? 'whole number' : p.type === 'number' ? 'number' : 'text';
  const extra = [
    range,
    p.pattern ? `starting ${p.pattern.replace(/^\^(\w+)s\?:\/\/$/, '`$1://` or `$1s://`')}` : '',
    p.maxLength !== undefined ? `at most ${p.maxLength} characters` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return extra ? `${kind}, ${extra}` : kind;
}

const cell = (s: string) => s.replaceAll('|', '\\|');

export function renderConfigDoc(): string {
  const props = ConfigEnv.properties as unknown as Record<string, PropSchema>;
  const names = Object.keys(props);
  const out = [
    '# Configuration',
    '',
    '<!-- generated from server/config-schema.ts by `npm run docs:config`; do not edit by hand -->',
    '',
    'Everything is set through environment variables, read once at start and checked against one schema',
    '(server/config-schema.ts, with env-schema). A value of the wrong kind or out of range stops the server',
    'with one line naming each bad variable and what is wrong (`Họp Số cannot start: invalid configuration:',
    'PORT must be a whole number (got "abc")`); nothing falls back to the default silently. An empty value',
    'counts as unset. Rules between variables (LDAP_URL needs LDAP_USER_BASE, METRICS_TOKEN is at least 16',
    'characters, …) are checked next (server/config.ts `configProblems`).',
    '',
  ];
  for (const g of CONFIG_GROUPS) {
    out.push(`## ${g.title}`, '', '| variable | accepts | default | meaning |', '|---|---|---|---|');
    for (const n of names.filter((x) => g.prefix.test(x))) {
      const p = props[n]!;
      const def = p.default === undefined ? 'unset' : p.default === '' ? 'empty' : `\`${String(p.default)}\``;
      out.push(`| \`${n}\` | ${cell(accepts(p))} | ${cell(def)} | ${cell(p.description ?? '')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Variables no group lists (the test requires none). */
export const ungroupedVariables = (): string[] =>
  Object.keys(ConfigEnv.properties).filter((n) => !CONFIG_GROUPS.some((g) => g.prefix.test(n)));
