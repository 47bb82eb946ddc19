// axe-core run inside the page under test (WCAG 2.1 A/AA rules only). The source is evaluated with
// page.evaluate (through the DevTools protocol), which the page's Content-Security-Policy does not
// govern, so the production CSP stays on: no bypassCSP, no inline <script> tag.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

/** Runs axe on the page as it is now and returns the WCAG 2.1 A/AA violations. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async (tags) => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              ctx: unknown,
              opts: unknown,
            ) => Promise<{
              violations: {
                id: string;
                impact: string | null;
                help: string;
                nodes: { target: unknown[]; failureSummary?: string }[];
              }[];
            }>;
          };
        }
      ).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({
          target: n.target.map(String),
          summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
        })),
      }));
    },
    [...WCAG_TAGS],
  );
}

/** One line per rule and one per node, for a failing assertion's message. */
export function formatViolations(screen: string, violations: AxeViolation[]): string {
  if (violations.length === 0) return `${screen}: no violations`;
  return [`${screen}: ${violations.length} axe violation(s)`]
    .concat(
      violations.flatMap((v) => [
        `  ${v.id} (${v.impact ?? 'n/a'}): ${v.help}`,
        ...v.nodes.map((n) => `    ${n.target.join(' ')} — ${n.summary}`),
      ]),
    )
    .join('\n');
}
