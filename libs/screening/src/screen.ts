import type { CompiledRule, ScreeningRules } from './load-screening-rules';
import { normaliseText } from './load-screening-rules';
import type { RuleConditions } from './screening-rules-document';
import {
  SCREENING_FLAGS,
  VULNERABLE_NEEDS,
  higherLight,
  type FamilyCaseStatus,
  type OverrideReason,
  type PersonRole,
  type ReportChannel,
  type ReporterType,
  type RiskLight,
  type ScreeningCategory,
  type ScreeningFlag,
  type VulnerableNeed,
} from './screening-vocabulary';

/** A person as screening needs them: no names or identifiers, only their part and age. */
export interface ScreeningPerson {
  readonly role: PersonRole;
  /** Whole years, when known (from a birth date or the reporter's estimate). */
  readonly age?: number;
}

export interface PriorReport {
  /** Epoch milliseconds. */
  readonly at: number;
  readonly category: ScreeningCategory;
}

/** What screening looks at. The narrative itself stays out: pass narrativeIndicators(text, rules). */
export interface ScreeningInput {
  /** The category the reporter ticked. */
  readonly reportedCategory: ScreeningCategory;
  readonly channel: ReportChannel;
  readonly reporterType: ReporterType;
  /** A responsible reporter (責任通報人員) under the protection acts. */
  readonly responsibleReporter: boolean;
  readonly needs: readonly VulnerableNeed[];
  readonly persons: readonly ScreeningPerson[];
  /** Indicator ids found in the narrative (narrativeIndicators). */
  readonly indicators: readonly string[];
  /** Epoch milliseconds; prior reports are counted back from here. */
  readonly receivedAt: number;
  /** Earlier reports about the same family (any age; the rules' window applies). */
  readonly priorReports: readonly PriorReport[];
  readonly familyCase: FamilyCaseStatus;
}

/** What a fired rule did (only what it set; a light lower than the result still shows). */
export interface RuleEffectApplied {
  readonly category?: ScreeningCategory;
  readonly light?: RiskLight;
  readonly addNeeds?: readonly VulnerableNeed[];
  readonly flags?: readonly ScreeningFlag[];
}

export interface FiredRule {
  readonly id: string;
  readonly description: string;
  readonly effect: RuleEffectApplied;
}

/** Who changed a decision, why, and from what to what. */
export interface OverrideRecord {
  readonly reason: OverrideReason;
  readonly justification: string;
  readonly screenerUnitId: string;
  readonly screenerId: string;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly from: { readonly category: ScreeningCategory; readonly urgency: RiskLight };
  readonly to: { readonly category: ScreeningCategory; readonly urgency: RiskLight };
}

export interface ScreeningDecision {
  readonly reportedCategory: ScreeningCategory;
  readonly category: ScreeningCategory;
  /** The family's need categories (脆弱家庭需求), ticked and found; sorted. */
  readonly needs: readonly VulnerableNeed[];
  /** Risk light (風險燈號). */
  readonly urgency: RiskLight;
  readonly flags: readonly ScreeningFlag[];
  /** The light the category gives when no rule raises it. */
  readonly defaultLight: RiskLight;
  readonly firedRules: readonly FiredRule[];
  /** Indicator ids the decision rested on (never the narrative). */
  readonly indicators: readonly string[];
  readonly rulesVersion: string;
  /** What the rules alone decided; stays put when a screener overrides. */
  readonly automatic: { readonly category: ScreeningCategory; readonly urgency: RiskLight };
  /** Oldest first; the last one's `to` is the current category and urgency. */
  readonly overrides: readonly OverrideRecord[];
}

/**
 * The indicator ids whose keywords occur in the narrative, in the rules' order. Pure; returns
 * only ids, so the text (names, ID numbers, addresses) goes no further than this call.
 */
export function narrativeIndicators(text: string, rules: ScreeningRules): string[] {
  const normalised = normaliseText(text);
  const found: string[] = [];
  for (const indicator of rules.indicators) {
    let haystack = normalised;
    // Blank out the negations first so 不想死 cannot match 想死.
    for (const phrase of indicator.except) haystack = haystack.split(phrase).join('\u0000');
    if (indicator.keywords.some((k) => haystack.includes(k))) found.push(indicator.id);
  }
  return found;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function priorCount(input: ScreeningInput, windowDays: number): number {
  const from = input.receivedAt - windowDays * DAY_MS;
  return input.priorReports.filter((r) => r.at >= from && r.at < input.receivedAt).length;
}

function holds(when: RuleConditions, category: ScreeningCategory, input: ScreeningInput, indicators: ReadonlySet<string>, priors: number): boolean {
  if (when.category && !when.category.includes(category)) return false;
  if (when.channel && !when.channel.includes(input.channel)) return false;
  if (when.reporter_type && !when.reporter_type.includes(input.reporterType)) return false;
  if (when.responsible_reporter !== undefined && when.responsible_reporter !== input.responsibleReporter) return false;
  if (when.needs_any && !when.needs_any.some((n) => input.needs.includes(n))) return false;
  if (when.indicators_any && !when.indicators_any.some((i) => indicators.has(i))) return false;
  if (when.indicators_all && !when.indicators_all.every((i) => indicators.has(i))) return false;
  if (when.prior_reports_min !== undefined && priors < when.prior_reports_min) return false;
  if (when.family_case && !when.family_case.includes(input.familyCase)) return false;
  const person = when.person;
  if (person) {
    const matches = input.persons.some((p) => {
      if (person.roles && !person.roles.includes(p.role)) return false;
      if (person.age_min === undefined && person.age_max === undefined) return true;
      if (p.age === undefined) return false;
      return (person.age_min === undefined || p.age >= person.age_min) && (person.age_max === undefined || p.age <= person.age_max);
    });
    if (!matches) return false;
  }
  return true;
}

function fired(rule: CompiledRule): FiredRule {
  const t = rule.then;
  return {
    id: rule.id,
    description: rule.description,
    effect: {
      ...(t.category !== undefined && { category: t.category }),
      ...(t.light !== undefined && { light: t.light }),
      ...(t.add_needs !== undefined && { addNeeds: t.add_needs }),
      ...(t.flags !== undefined && { flags: t.flags }),
    },
  };
}

/** Screens one report: category, risk light and the rules that decided them (see rules/screening-rules.yaml). */
export function screen(input: ScreeningInput, rules: ScreeningRules): ScreeningDecision {
  const indicators = new Set(input.indicators);
  const priors = priorCount(input, rules.priorReportWindowDays);
  const firedRules: FiredRule[] = [];

  let category = input.reportedCategory;
  const categoriser = rules.categoriseRules.find((r) => holds(r.when, input.reportedCategory, input, indicators, priors));
  if (categoriser) {
    category = categoriser.then.category ?? category;
    firedRules.push(fired(categoriser));
  }
  for (const rule of rules.urgencyRules) if (holds(rule.when, category, input, indicators, priors)) firedRules.push(fired(rule));

  const defaultLight = rules.defaultLight[category];
  let urgency = defaultLight;
  const needs = new Set<VulnerableNeed>(input.needs);
  const flags = new Set<ScreeningFlag>();
  for (const f of firedRules) {
    if (f.effect.light) urgency = higherLight(urgency, f.effect.light);
    for (const n of f.effect.addNeeds ?? []) needs.add(n);
    for (const x of f.effect.flags ?? []) flags.add(x);
  }
  return {
    reportedCategory: input.reportedCategory,
    category,
    needs: VULNERABLE_NEEDS.filter((n) => needs.has(n)),
    urgency,
    flags: SCREENING_FLAGS.filter((x) => flags.has(x)),
    defaultLight,
    firedRules,
    indicators: rules.indicators.map((i) => i.id).filter((id) => indicators.has(id)),
    rulesVersion: rules.version,
    automatic: { category, urgency },
    overrides: [],
  };
}
