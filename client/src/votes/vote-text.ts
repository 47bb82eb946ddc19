// How votes read in the UI: standard choices in the UI language, the rule in words, and the
// official result line ("Tán thành 12/15 phiếu (80,00%) — thông qua").
import type { TFunction } from 'i18next';
import { formatPercent, type VoteRule } from '../../../shared/vote-rules';
import type { VoteChoice, VoteResult } from '../../../shared/votes';
import { currentLanguage } from '../i18n';

const STANDARD = ['for', 'against', 'abstain'] as const;

/** Standard choices follow the UI language; custom ones read as the chair typed them. */
export function choiceLabel(t: TFunction, c: VoteChoice): string {
  return (STANDARD as readonly string[]).includes(c.id) ? t(`votes.choices.${c.id as (typeof STANDARD)[number]}`) : c.label;
}

export function ruleLabel(t: TFunction, rule: VoteRule): string {
  if (rule.kind !== 'threshold') return t(`votes.rules.${rule.kind}`);
  return t('votes.rules.thresholdOf', {
    fraction: `${rule.numerator}/${rule.denominator}`,
    base: t(`votes.threshold.base.${rule.base}`),
    strict: rule.strict ? t('votes.threshold.strictShort') : '',
  }).trim();
}

/** "80,00%" in Vietnamese, "80.00%" in English. */
export function percent(count: number, base: number): string {
  const p = formatPercent(count, base);
  return currentLanguage() === 'en' ? p.replace(',', '.') : p;
}

/** "Tán thành 12/15 phiếu (80,00%)" */
export function countLine(t: TFunction, label: string, count: number, base: number): string {
  return t('votes.result.line', { label, count, base, percent: percent(count, base) });
}

/** The announcement: first choice against the rule's base, and the outcome. */
export function announcementText(t: TFunction, result: VoteResult, choices: readonly VoteChoice[]): string {
  const first = choices[0];
  const line = countLine(t, first ? choiceLabel(t, first) : '', result.counts[0]?.count ?? 0, result.base);
  return `${line} — ${result.passed ? t('votes.result.passed') : t('votes.result.failed')}`;
}

/** An election's headline: who is elected ("Trúng cử: …"), or that nobody is. */
export function electionHeadline(t: TFunction, result: VoteResult, choices: readonly VoteChoice[]): string {
  const elected = result.election?.elected ?? [];
  const name = (id: string) => choices.find((c) => c.id === id)?.label ?? id;
  return elected.length > 0
    ? t('elections.result.elected', { names: elected.map(name).join(', ') })
    : t('elections.result.noneElected');
}

/** The headline of any closed vote: an election's elected, else the official announcement. */
export function resultHeadline(t: TFunction, result: VoteResult, choices: readonly VoteChoice[]): string {
  return result.election ? electionHeadline(t, result, choices) : announcementText(t, result, choices);
}
