import { listItemId, parseValidatedYaml, schemaErrorDetail } from '@weave/rules-file';
import Ajv, { type ErrorObject } from 'ajv';
import type {
  BreakGlassPolicy,
  CompiledPolicy,
  CompiledProhibition,
  CompiledRule,
  MinimumNecessary,
} from './compiled-policy';
import type { PolicyDocument } from './policy-document';
import schema from './disclosure-policy.schema.json';
import {
  CLAIMED_BASES,
  DATA_CATEGORIES,
  RECIPIENT_ROLES,
  type DataCategoryName,
  type ExceptionReasonName,
  type LegalBasisName,
  type PurposeName,
  type RecipientRoleName,
} from './vocabulary';

/** A policy file that cannot serve: every problem is listed, none is guessed around. */
export class PolicyValidationError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`policy ${source} rejected:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyValidationError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validateSchema = ajv.compile<PolicyDocument>(schema);

const BASIS_ORDER: Readonly<Record<LegalBasisName, number>> = {
  statutory_duty: 0,
  consent: 1,
  client_waiver: 2,
  legal_reporting_duty: 3,
  imminent_danger: 4,
  suicide_risk: 5,
  duty_to_warn: 6,
  infectious_disease: 7,
  criminal_case: 8,
};

function semanticProblems(doc: PolicyDocument): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const id of [...doc.rules.map((r) => r.id), ...doc.prohibitions.map((p) => p.id)]) {
    if (seen.has(id)) problems.push(`${id}: id used more than once`);
    seen.add(id);
  }
  const aggregateOnly = doc.prohibitions.filter((p) => p.withhold_as === 'aggregate_only');
  for (const rule of doc.rules) {
    for (const [category, fields] of Object.entries(rule.fields ?? {})) {
      const cat = category as DataCategoryName;
      if (!rule.categories.includes(cat)) problems.push(`${rule.id}: fields given for ${category}, which the rule does not release`);
      const known = doc.categories[cat]?.fields ?? [];
      for (const f of fields ?? []) if (!known.includes(f)) problems.push(`${rule.id}: ${category} has no field ${f}`);
    }
    if (CLAIMED_BASES.includes(rule.basis) && !(doc.exceptions.reasons[rule.basis]?.length)) {
      problems.push(`${rule.id}: basis ${rule.basis} has no reasons under exceptions.reasons, so no claim could satisfy it`);
    }
    for (const p of aggregateOnly) {
      const purposes = p.purposes ?? rule.purposes;
      const clash = rule.purposes.filter((x) => purposes.includes(x));
      if (clash.length > 0) problems.push(`${rule.id}: releases for ${clash.join(', ')}, which ${p.id} makes aggregate-only`);
    }
  }
  const pairs = new Set<string>();
  for (const m of doc.minimum_necessary) {
    if (m.category === m.coarser) problems.push(`minimum_necessary: ${m.category} cannot be coarser than itself`);
    if (pairs.has(m.category)) problems.push(`minimum_necessary: ${m.category} listed more than once`);
    pairs.add(m.category);
  }
  for (const rule of doc.rules) {
    for (const category of rule.categories) {
      const pair = doc.minimum_necessary.find((m) => m.category === category);
      if (pair && rule.purposes.every((p) => pair.sufficient_for.includes(p))) {
        problems.push(`${rule.id}: never releases ${category}: minimum_necessary withholds it for all of ${rule.purposes.join(', ')}`);
      }
    }
  }
  for (const basis of doc.break_glass.bases) {
    if (!(doc.exceptions.reasons[basis]?.length)) problems.push(`break_glass: basis ${basis} has no reasons under exceptions.reasons`);
  }
  if (Number.isNaN(Date.parse(doc.effective_from))) problems.push('effective_from: not a date');
  return problems;
}

function roles(recipients: 'all' | readonly RecipientRoleName[]): readonly RecipientRoleName[] {
  return recipients === 'all' ? RECIPIENT_ROLES : recipients;
}

function compile(doc: PolicyDocument): CompiledPolicy {
  const categoryFields = Object.fromEntries(DATA_CATEGORIES.map((c) => [c, doc.categories[c].fields])) as Record<DataCategoryName, readonly string[]>;
  const rules: Partial<Record<DataCategoryName, Partial<Record<RecipientRoleName, Partial<Record<PurposeName, CompiledRule[]>>>>>> = {};
  const ordered = [...doc.rules].sort((a, b) => BASIS_ORDER[a.basis] - BASIS_ORDER[b.basis]);
  for (const rule of ordered) {
    const compiled: CompiledRule = {
      id: rule.id,
      description: rule.description,
      basis: rule.basis,
      needToKnow: rule.need_to_know === 'required',
      fields: Object.fromEntries(rule.categories.map((c) => [c, rule.fields?.[c] ?? categoryFields[c]])),
      breakGlass: false,
    };
    for (const category of rule.categories) {
      const byRole = (rules[category] ??= {});
      for (const role of roles(rule.recipients)) {
        const byPurpose = (byRole[role] ??= {});
        for (const purpose of rule.purposes) (byPurpose[purpose] ??= []).push(compiled);
      }
    }
  }
  const prohibitions: Partial<Record<DataCategoryName, CompiledProhibition[]>> = {};
  for (const p of doc.prohibitions) {
    const compiled: CompiledProhibition = {
      id: p.id,
      description: p.description,
      purposes: p.purposes ? new Set(p.purposes) : undefined,
      appliesWhen: p.applies_when,
      withholdAs: p.withhold_as,
      legalReference: p.legal_reference,
    };
    for (const category of p.categories === 'all' ? DATA_CATEGORIES : p.categories) (prohibitions[category] ??= []).push(compiled);
  }
  const minimumNecessary: Partial<Record<DataCategoryName, MinimumNecessary>> = {};
  for (const m of doc.minimum_necessary) minimumNecessary[m.category] = { coarser: m.coarser, sufficientFor: new Set(m.sufficient_for) };
  const exceptionReasons: Partial<Record<LegalBasisName, ReadonlySet<ExceptionReasonName>>> = {};
  for (const [basis, reasons] of Object.entries(doc.exceptions.reasons)) exceptionReasons[basis as LegalBasisName] = new Set(reasons);
  const breakGlass: BreakGlassPolicy = {
    bases: new Set(doc.break_glass.bases),
    recipients: new Set(roles(doc.break_glass.recipients)),
    purposes: new Set(doc.break_glass.purposes),
    categories: new Set(doc.break_glass.categories),
    grantMinutes: doc.break_glass.grant_minutes,
  };
  return {
    version: doc.version,
    document: doc,
    categoryFields,
    rules,
    prohibitions,
    minimumNecessary,
    exceptionReasons,
    minJustificationLength: doc.exceptions.min_justification_length,
    breakGlass,
    memo: new Map(),
  };
}

/** "/rules/3 (R20-protection-status): must NOT have additional properties: fieldz". */
function describeSchemaError(raw: unknown, e: ErrorObject): string {
  const path = e.instancePath || '/';
  const match = /^\/(rules|prohibitions)\/(\d+)/.exec(path);
  const id = match ? listItemId(raw, match[1] ?? '', Number(match[2])) : undefined;
  return `${id ? `${path} (${id})` : path} ${e.message ?? 'is invalid'}${schemaErrorDetail(e)}`;
}

/** Parses, validates (schema, then meaning) and compiles a policy; throws PolicyValidationError. */
export function loadPolicy(text: string, source = 'policy'): CompiledPolicy {
  const raw = parseValidatedYaml(text, source, validateSchema, describeSchemaError, (where, problems) => new PolicyValidationError(where, problems));
  const problems = semanticProblems(raw);
  if (problems.length > 0) throw new PolicyValidationError(source, problems);
  return compile(raw);
}
