import { listItemId, parseValidatedYaml, readRulesText, schemaErrorDetail } from '@weave/rules-file';
import Ajv, { type ErrorObject } from 'ajv';
import schema from './screening-rules.schema.json';
import type { IndicatorDocument, RuleConditions, RuleEffect, RulePhase, ScreeningRulesDocument } from './screening-rules-document';
import type { RiskLight, ScreeningCategory } from './screening-vocabulary';

/** A rules file that cannot serve: every problem is listed, none is guessed around. */
export class ScreeningRulesError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`screening rules ${source} rejected:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScreeningRulesError';
  }
}

export interface CompiledIndicator {
  readonly id: string;
  readonly description: string;
  /** Normalised (see normaliseText). */
  readonly keywords: readonly string[];
  readonly except: readonly string[];
}

export interface CompiledRule {
  readonly id: string;
  readonly description: string;
  readonly phase: RulePhase;
  readonly when: RuleConditions;
  readonly then: RuleEffect;
}

/** Validated screening rules, ready for screen() and narrativeIndicators(). */
export interface ScreeningRules {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly priorReportWindowDays: number;
  readonly defaultLight: Readonly<Record<ScreeningCategory, RiskLight>>;
  readonly indicators: readonly CompiledIndicator[];
  /** In file order: the first that fires sets the category. */
  readonly categoriseRules: readonly CompiledRule[];
  readonly urgencyRules: readonly CompiledRule[];
  readonly document: ScreeningRulesDocument;
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validateSchema = ajv.compile<ScreeningRulesDocument>(schema);
const fail = (source: string, problems: string[]) => new ScreeningRulesError(source, problems);

/** Width and compatibility forms folded (ＡＢ → AB), spaces dropped, Latin lower-cased. */
export function normaliseText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}

function indicatorProblems(id: string, indicator: IndicatorDocument): string[] {
  const problems: string[] = [];
  const keywords = indicator.keywords.map(normaliseText);
  if (new Set(keywords).size !== keywords.length) problems.push(`indicator ${id}: keywords repeat after normalisation`);
  for (const e of indicator.except ?? []) {
    // An except phrase that contains no keyword can never cancel a match: a typo, most likely.
    if (!keywords.some((k) => normaliseText(e).includes(k))) problems.push(`indicator ${id}: except phrase "${e}" contains none of its keywords`);
  }
  return problems;
}

function ruleProblems(doc: ScreeningRulesDocument): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const rule of doc.rules) {
    const at = `rule ${rule.id}`;
    if (seen.has(rule.id)) problems.push(`${at}: id used more than once`);
    seen.add(rule.id);
    const { when, then } = rule;
    for (const field of ['indicators_any', 'indicators_all'] as const) {
      for (const name of when[field] ?? []) {
        if (!Object.hasOwn(doc.indicators, name)) problems.push(`${at}: when.${field} names unknown indicator ${name}`);
      }
    }
    const person = when.person;
    if (person?.age_min !== undefined && person.age_max !== undefined && person.age_min > person.age_max) {
      problems.push(`${at}: when.person.age_min ${person.age_min} is above age_max ${person.age_max}`);
    }
    if (rule.phase === 'categorise') {
      if (then.category === undefined) problems.push(`${at}: then.category is required in phase categorise`);
      if (when.category === undefined) problems.push(`${at}: when.category is required in phase categorise (say which ticked categories it re-categorises)`);
      else if (then.category !== undefined && when.category.includes(then.category)) {
        problems.push(`${at}: then.category ${then.category} is also in when.category, so the rule would not change it`);
      }
    } else if (then.category !== undefined) {
      problems.push(`${at}: then.category is only allowed in phase categorise (urgency rules run after the category is decided)`);
    }
    if (rule.phase === 'urgency' && then.light !== undefined && when.category !== undefined) {
      // A rule that sets no higher light than every category it applies to already has is dead weight.
      const rank = (l: RiskLight): number => ['green', 'yellow', 'orange', 'red'].indexOf(l);
      if (when.category.every((c) => rank(doc.default_light[c]) >= rank(then.light as RiskLight)) && then.add_needs === undefined && then.flags === undefined) {
        problems.push(`${at}: then.light ${then.light} is never above the default light of ${when.category.join(', ')}, so the rule has no effect`);
      }
    }
  }
  return problems;
}

function semanticProblems(doc: ScreeningRulesDocument): string[] {
  const problems: string[] = [];
  if (Number.isNaN(Date.parse(doc.effective_from))) problems.push('effective_from: not a date');
  for (const [id, indicator] of Object.entries(doc.indicators)) problems.push(...indicatorProblems(id, indicator));
  problems.push(...ruleProblems(doc));
  return problems;
}

/** "/rules/3 (L04-weapon)/then/light must be equal to one of the allowed values (red, …)". */
function describeSchemaError(raw: unknown, e: ErrorObject): string {
  const path = e.instancePath || '/';
  const match = /^\/rules\/(\d+)(.*)$/.exec(path);
  const id = match ? listItemId(raw, 'rules', Number(match[1])) : undefined;
  const where = id && match ? `rule ${id}${match[2] ? ` ${match[2].slice(1).replace(/\//g, '.')}` : ''} (${path})` : path;
  return `${where} ${e.message ?? 'is invalid'}${schemaErrorDetail(e)}`;
}

function compile(doc: ScreeningRulesDocument): ScreeningRules {
  const rules: CompiledRule[] = doc.rules.map((r) => ({ id: r.id, description: r.description, phase: r.phase, when: r.when, then: r.then }));
  return {
    version: doc.version,
    effectiveFrom: doc.effective_from,
    priorReportWindowDays: doc.prior_reports.window_days,
    defaultLight: doc.default_light,
    indicators: Object.entries(doc.indicators).map(([id, i]) => ({
      id,
      description: i.description,
      keywords: i.keywords.map(normaliseText),
      except: (i.except ?? []).map(normaliseText),
    })),
    categoriseRules: rules.filter((r) => r.phase === 'categorise'),
    urgencyRules: rules.filter((r) => r.phase === 'urgency'),
    document: doc,
  };
}

/** Parses, validates (schema, then meaning) and compiles screening rules; throws ScreeningRulesError. */
export function loadScreeningRules(text: string, source = 'screening-rules'): ScreeningRules {
  const raw = parseValidatedYaml(text, source, validateSchema, describeSchemaError, fail);
  const problems = semanticProblems(raw);
  if (problems.length > 0) throw fail(source, problems);
  return compile(raw);
}

/** loadScreeningRules on a file; an unreadable file is a ScreeningRulesError too. */
export function loadScreeningRulesFile(path: string): ScreeningRules {
  return loadScreeningRules(readRulesText(path, fail), path);
}
