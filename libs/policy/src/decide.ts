import { memoised, rulesFor, type CompiledPolicy, type CompiledProhibition, type CompiledRule } from './compiled-policy';
import {
  CLAIMED_BASES,
  PURPOSES,
  WITHHOLD_REASONS,
  label,
  type DataCategoryName,
  type ExceptionReasonName,
  type InvolvementKind,
  type LegalBasisName,
  type PurposeName,
  type RecipientRoleName,
  type WithholdReasonName,
} from './vocabulary';

/** The unit asking, as established from its client certificate and the unit directory. */
export interface Requester {
  readonly unitId: string;
  readonly role: RecipientRoleName;
}

/** A confidentiality exception claimed by the requester (or a break-glass request). */
export interface BasisClaim {
  readonly basis: LegalBasisName;
  readonly reason: ExceptionReasonName | undefined;
  readonly justification: string;
}

export interface DecisionRequest {
  readonly requester: Requester;
  /** Person pseudonym the decision is about. */
  readonly subject: string;
  readonly purpose: PurposeName;
  readonly categories: readonly DataCategoryName[];
  readonly claim?: BasisClaim | undefined;
  /** Only a break-glass request that passed breakGlassProblems(); see there. */
  readonly breakGlass?: BasisClaim | undefined;
  /** Epoch milliseconds. */
  readonly now: number;
}

/** A unit's current part in a person's or family's case (需知): from dispatch and case events. */
export interface Involvement {
  readonly unitId: string;
  readonly kind: InvolvementKind;
  /** Epoch ms; null until: open-ended (a case membership until the unit leaves). */
  readonly validFrom: number;
  readonly validUntil: number | null;
}

export interface ConsentGrant {
  readonly consentId: string;
  readonly version: number;
  readonly kind: 'consent' | 'waiver';
  readonly categories: readonly DataCategoryName[];
  readonly recipientRoles: readonly RecipientRoleName[];
  readonly recipientUnits: readonly string[];
  readonly purposes: readonly PurposeName[];
  readonly validFrom: number;
  readonly validUntil: number | null;
  readonly withdrawnAt: number | null;
}

/** What the gateway knows about the requester and the subject at decision time. */
export interface DecisionFacts {
  /** The requester's involvements with the subject or the subject's family. */
  readonly involvements: readonly Involvement[];
  /** The subject's consents and waivers, any state. */
  readonly consents: readonly ConsentGrant[];
  /** The requester serves someone recorded as the alleged perpetrator against this subject. */
  readonly requesterServesAllegedPerpetrator: boolean;
  /** Registries that could not be read: the decision fails closed on what depends on them. */
  readonly consentsUnavailable?: boolean;
  readonly involvementsUnavailable?: boolean;
}

export interface ConsentUse {
  readonly consentId: string;
  readonly version: number;
}

export interface Release {
  readonly category: DataCategoryName;
  readonly ruleId: string;
  readonly basis: LegalBasisName;
  readonly consents: readonly ConsentUse[];
  /** Fields of the category this release covers; anything else is withheld. */
  readonly fields: readonly string[];
  readonly breakGlass: boolean;
}

export interface Withholding {
  readonly category: DataCategoryName;
  /** Set when one field of a released category is withheld. */
  readonly field?: string;
  readonly reason: WithholdReasonName;
  readonly ruleId: string | undefined;
  readonly explanation: string;
  readonly wouldPermit: string;
}

export type Outcome = 'permit' | 'partial' | 'deny';

export interface Decision {
  readonly policyVersion: string;
  readonly outcome: Outcome;
  readonly releases: readonly Release[];
  readonly withholdings: readonly Withholding[];
  readonly breakGlassUsed: boolean;
}

interface Miss {
  readonly reason: WithholdReasonName;
  readonly rule: CompiledRule;
  readonly wouldPermit: string;
}

function isCurrent(validFrom: number, validUntil: number | null, now: number): boolean {
  return validFrom <= now && (validUntil === null || now < validUntil);
}

function hasInvolvement(facts: DecisionFacts, unitId: string, now: number): boolean {
  for (const i of facts.involvements) {
    if (i.unitId === unitId && isCurrent(i.validFrom, i.validUntil, now)) return true;
  }
  return false;
}

function findConsent(
  facts: DecisionFacts,
  kind: 'consent' | 'waiver',
  category: DataCategoryName,
  requester: Requester,
  purpose: PurposeName,
  now: number,
): ConsentGrant | undefined {
  for (const c of facts.consents) {
    if (c.kind !== kind || c.withdrawnAt !== null || !isCurrent(c.validFrom, c.validUntil, now)) continue;
    if (!c.categories.includes(category) || !c.purposes.includes(purpose)) continue;
    if (c.recipientRoles.includes(requester.role) || c.recipientUnits.includes(requester.unitId)) return c;
  }
  return undefined;
}

function claimSatisfies(policy: CompiledPolicy, claim: BasisClaim | undefined, basis: LegalBasisName): boolean {
  if (!claim || claim.basis !== basis || claim.reason === undefined) return false;
  const reasons = policy.exceptionReasons[basis];
  return reasons !== undefined && reasons.has(claim.reason) && claim.justification.trim().length >= policy.minJustificationLength;
}

function claimWording(policy: CompiledPolicy, basis: LegalBasisName): string {
  return memoised(
    policy,
    () => {
      const reasons = [...(policy.exceptionReasons[basis] ?? [])].map(label).join(' or ');
      return `a claim of ${label(basis)} with a reason (${reasons}) and a justification of at least ${policy.minJustificationLength} characters`;
    },
    'claim',
    basis,
  );
}

/**
 * Whether one rule releases the category, and if not, what is missing. Need-to-know is
 * checked first: no consent or claim makes up for not being involved with the subject.
 */
type RuleResult = { readonly consent?: ConsentGrant; readonly miss?: Miss };
const SATISFIED: RuleResult = {};

function cachedMiss(policy: CompiledPolicy, rule: CompiledRule, reason: WithholdReasonName, wouldPermit: () => string): RuleResult {
  return memoised(policy, () => ({ miss: { reason, rule, wouldPermit: wouldPermit() } }), 'rulemiss', rule, reason);
}

function evaluateRule(
  policy: CompiledPolicy,
  rule: CompiledRule,
  request: DecisionRequest,
  facts: DecisionFacts,
  category: DataCategoryName,
): RuleResult {
  const { requester, purpose, now } = request;
  if (rule.needToKnow) {
    if (facts.involvementsUnavailable) {
      return cachedMiss(policy, rule, 'registry_unavailable', () => 'the involvement registry answering again (decisions fail closed while it does not)');
    }
    if (!hasInvolvement(facts, requester.unitId, now)) {
      return cachedMiss(
        policy,
        rule,
        'no_involvement',
        () => 'a current involvement with the subject: a dispatch to this unit, a place on the family case as lead or collaborator, or a declared emergency',
      );
    }
  }
  switch (rule.basis) {
    case 'statutory_duty':
      return SATISFIED;
    case 'consent':
    case 'client_waiver': {
      const kind = rule.basis === 'consent' ? 'consent' : 'waiver';
      if (facts.consentsUnavailable) {
        return cachedMiss(policy, rule, 'registry_unavailable', () => 'the consent registry answering again (decisions fail closed while it does not)');
      }
      const consent = findConsent(facts, kind, category, requester, purpose, now);
      if (consent) return { consent };
      const wouldPermit = memoised(
        policy,
        () => {
          const what = kind === 'consent' ? 'consent from the subject or a guardian' : 'a recorded waiver of confidentiality by the subject or a guardian';
          return `${what} covering ${label(category)} for ${label(requester.role)} for ${label(purpose)}`;
        },
        'consent',
        kind,
        category,
        requester.role,
        purpose,
      );
      return { miss: { reason: 'consent_missing', rule, wouldPermit } };
    }
    case 'imminent_danger':
    case 'duty_to_warn':
    case 'legal_reporting_duty':
    case 'infectious_disease':
    case 'suicide_risk':
    case 'criminal_case':
      if (rule.breakGlass || claimSatisfies(policy, request.claim, rule.basis)) return SATISFIED;
      return cachedMiss(policy, rule, request.claim?.basis === rule.basis ? 'justification_missing' : 'no_legal_basis', () => claimWording(policy, rule.basis));
  }
}

function prohibitionApplies(p: CompiledProhibition, request: DecisionRequest, facts: DecisionFacts): boolean {
  if (p.purposes !== undefined && !p.purposes.has(request.purpose)) return false;
  return p.appliesWhen === 'always' || facts.requesterServesAllegedPerpetrator;
}

function prohibitionWithholding(policy: CompiledPolicy, category: DataCategoryName, p: CompiledProhibition): Withholding {
  return memoised(policy, () => buildProhibitionWithholding(category, p), 'prohibited', category, p);
}

function buildProhibitionWithholding(category: DataCategoryName, p: CompiledProhibition): Withholding {
  if (p.withholdAs === 'aggregate_only') {
    return {
      category,
      reason: 'aggregate_only',
      ruleId: p.id,
      explanation: `${p.description} (${p.id})`,
      wouldPermit: 'nothing person-level: statistics receive only de-identified aggregates',
    };
  }
  return {
    category,
    reason: 'prohibited',
    ruleId: p.id,
    explanation: `${p.description} (${p.id}${p.legalReference ? `; ${p.legalReference}` : ''})`,
    wouldPermit: 'nothing: no consent or exception overrides this prohibition',
  };
}

function noRuleWithholding(policy: CompiledPolicy, category: DataCategoryName, request: DecisionRequest): Withholding {
  return memoised(policy, () => buildNoRuleWithholding(policy, category, request), 'norule', category, request.requester.role, request.purpose);
}

function buildNoRuleWithholding(policy: CompiledPolicy, category: DataCategoryName, request: DecisionRequest): Withholding {
  const { role } = request.requester;
  const elsewhere: string[] = [];
  for (const purpose of PURPOSES) {
    if (purpose === request.purpose) continue;
    const rules = rulesFor(policy, category, role, purpose);
    if (rules.length > 0) elsewhere.push(`${label(purpose)} (${rules.map((r) => r.id).join(', ')})`);
  }
  return {
    category,
    reason: 'no_legal_basis',
    ruleId: undefined,
    explanation: `no rule releases ${label(category)} to a ${label(role)} for ${label(request.purpose)}`,
    wouldPermit:
      elsewhere.length > 0
        ? `a different declared purpose: ${elsewhere.join('; ')}`
        : `nothing under policy ${policy.version}: it releases ${label(category)} to a ${label(role)} for no purpose`,
  };
}

function breakGlassRule(policy: CompiledPolicy, claim: BasisClaim, category: DataCategoryName): CompiledRule {
  return memoised(policy, () => buildBreakGlassRule(policy, claim, category), 'bg', claim.basis, category);
}

function buildBreakGlassRule(policy: CompiledPolicy, claim: BasisClaim, category: DataCategoryName): CompiledRule {
  return {
    id: `BG-${claim.basis}`,
    description: `break-glass access under ${label(claim.basis)}`,
    basis: claim.basis,
    needToKnow: false,
    fields: { [category]: policy.categoryFields[category] },
    breakGlass: true,
  };
}

function minimumNecessaryWithholding(policy: CompiledPolicy, category: DataCategoryName, coarser: DataCategoryName, request: DecisionRequest, rule: CompiledRule): Withholding {
  return memoised(policy, () => buildMinimumNecessaryWithholding(policy, category, coarser, request, rule), 'mn', category, request.requester.role, request.purpose, rule);
}

function buildMinimumNecessaryWithholding(policy: CompiledPolicy, category: DataCategoryName, coarser: DataCategoryName, request: DecisionRequest, rule: CompiledRule): Withholding {
  const pair = policy.minimumNecessary[category];
  const others = PURPOSES.filter((p) => !pair?.sufficientFor.has(p) && rulesFor(policy, category, request.requester.role, p).length > 0);
  return {
    category,
    reason: 'minimum_necessary',
    ruleId: rule.id,
    explanation: `${label(coarser)} serves ${label(request.purpose)}, so the detail is withheld (minimum necessary)`,
    wouldPermit: others.length > 0 ? `a purpose that needs the detail: ${others.map(label).join(', ')}` : 'nothing: the coarser category is what this role may have',
  };
}

const NO_CONSENTS: readonly ConsentUse[] = [];

function unionOfFields(policy: CompiledPolicy, category: DataCategoryName, rules: readonly CompiledRule[]): readonly string[] {
  const first = rules[0]?.fields[category] ?? policy.categoryFields[category];
  if (rules.length === 1) return first;
  const wanted = new Set(rules.flatMap((r) => r.fields[category] ?? policy.categoryFields[category]));
  // In the category's own order, so that equal releases compare equal.
  return policy.categoryFields[category].filter((f) => wanted.has(f));
}

/**
 * Decides, category by category, what the requester may receive about one person. Pure and
 * allocation-light: it runs for every query and for every recipient of every event.
 *
 * Order per category: hard prohibitions (nothing overrides them), then the rules for the
 * requester's role and purpose (statutory duty, then consent and waiver, then claimed
 * exceptions, then break-glass), then minimum necessary. Anything not released is withheld
 * with the rule that withheld it and what would permit it.
 */
export function decide(policy: CompiledPolicy, request: DecisionRequest, facts: DecisionFacts): Decision {
  const releases: Release[] = [];
  const withholdings: Withholding[] = [];
  let breakGlassUsed = false;
  // Defence in depth: the RPC layer already rejected an invalid break-glass request.
  const bg =
    request.breakGlass !== undefined && breakGlassProblems(policy, request.requester, request.purpose, request.breakGlass).length === 0
      ? request.breakGlass
      : undefined;

  for (const category of request.categories) {
    let prohibited: CompiledProhibition | undefined;
    for (const p of policy.prohibitions[category] ?? []) {
      if (prohibitionApplies(p, request, facts)) {
        prohibited = p;
        break;
      }
    }
    if (prohibited) {
      withholdings.push(prohibitionWithholding(policy, category, prohibited));
      continue;
    }

    let candidates = rulesFor(policy, category, request.requester.role, request.purpose);
    if (bg !== undefined && policy.breakGlass.categories.has(category)) {
      const ordinary = candidates;
      candidates = memoised(policy, () => [...ordinary, breakGlassRule(policy, bg, category)], 'withbg', ordinary, category, bg.basis);
    }
    if (candidates.length === 0) {
      withholdings.push(noRuleWithholding(policy, category, request));
      continue;
    }

    // Every satisfied rule contributes its fields: releasing the union (not the first
    // match's) keeps decisions monotone, so a new consent can never narrow a release.
    let satisfied: CompiledRule[] | undefined;
    let consentsUsed: ConsentUse[] | undefined;
    let misses: Miss[] | undefined;
    for (const rule of candidates) {
      const result = evaluateRule(policy, rule, request, facts, category);
      if (result.miss !== undefined) {
        (misses ??= []).push(result.miss);
        continue;
      }
      if (rule.breakGlass && satisfied !== undefined) continue; // break-glass only for what nothing else releases
      (satisfied ??= []).push(rule);
      if (result.consent) (consentsUsed ??= []).push({ consentId: result.consent.consentId, version: result.consent.version });
    }
    const primary = satisfied?.[0];
    const released = primary ? { rule: primary } : undefined;

    if (!released) {
      // Lead with the rule the requester was aiming at: the one of the basis they claimed.
      const claimed = request.claim?.basis;
      const first = misses?.find((m) => m.rule.basis === claimed) ?? misses?.[0];
      const all = misses ?? [];
      // The candidate list stands for (category, role, purpose) — each list object is unique
      // to them — and the misses' reasons, in order, pick the wording; so they are the key.
      let signature = 0;
      for (const m of all) signature = signature * WITHHOLD_REASONS.length + WITHHOLD_REASONS.indexOf(m.reason) + 1;
      withholdings.push(
        memoised(policy, () => ({
          category,
          reason: first?.reason ?? 'no_legal_basis',
          ruleId: first?.rule.id,
          explanation: first ? `${label(category)}: ${first.rule.description} (${first.rule.id}), not met` : `no rule releases ${label(category)}`,
          wouldPermit: [...new Set(all.map((m) => m.wouldPermit))].join('; or '),
        }), 'miss', candidates, category, claimed, signature),
      );
      continue;
    }

    const pair = policy.minimumNecessary[category];
    if (pair !== undefined && pair.sufficientFor.has(request.purpose) && !released.rule.breakGlass) {
      withholdings.push(minimumNecessaryWithholding(policy, category, pair.coarser, request, released.rule));
      continue;
    }

    if (released.rule.breakGlass) breakGlassUsed = true;
    releases.push({
      category,
      ruleId: released.rule.id,
      basis: released.rule.basis,
      consents: consentsUsed ?? NO_CONSENTS,
      fields: unionOfFields(policy, category, satisfied ?? []),
      breakGlass: released.rule.breakGlass,
    });
  }

  return {
    policyVersion: policy.version,
    outcome: releases.length === 0 ? 'deny' : withholdings.length === 0 ? 'permit' : 'partial',
    releases,
    withholdings,
    breakGlassUsed,
  };
}

/**
 * Why a break-glass request cannot be honoured, as field-level problems; empty when it
 * can. The RPC layer rejects a request with problems instead of deciding without it.
 */
export function breakGlassProblems(policy: CompiledPolicy, requester: Requester, purpose: PurposeName, claim: BasisClaim): string[] {
  const problems: string[] = [];
  const bg = policy.breakGlass;
  if (!bg.bases.has(claim.basis)) problems.push(`break_glass.basis: must be one of ${[...bg.bases].join(', ')}`);
  const reasons = policy.exceptionReasons[claim.basis];
  if (claim.reason === undefined || !reasons?.has(claim.reason)) {
    problems.push(`break_glass.reason: must be one of ${[...(reasons ?? [])].join(', ') || '(none for this basis)'}`);
  }
  if (claim.justification.trim().length < policy.minJustificationLength) {
    problems.push(`break_glass.justification: at least ${policy.minJustificationLength} characters`);
  }
  if (!bg.recipients.has(requester.role)) problems.push(`break_glass: not available to a ${label(requester.role)}`);
  if (!bg.purposes.has(purpose)) problems.push(`purpose: break-glass requires one of ${[...bg.purposes].join(', ')}`);
  return problems;
}

/** Problems of a claimed exception (not break-glass); empty when it is well formed. */
export function claimProblems(policy: CompiledPolicy, claim: BasisClaim): string[] {
  const problems: string[] = [];
  if (!CLAIMED_BASES.includes(claim.basis)) problems.push(`basis_claim.basis: ${claim.basis} is not a claimed exception`);
  const reasons = policy.exceptionReasons[claim.basis];
  if (claim.reason === undefined || !reasons?.has(claim.reason)) {
    problems.push(`basis_claim.reason: must be one of ${[...(reasons ?? [])].join(', ') || '(none for this basis)'}`);
  }
  if (claim.justification.trim().length < policy.minJustificationLength) {
    problems.push(`basis_claim.justification: at least ${policy.minJustificationLength} characters`);
  }
  return problems;
}
