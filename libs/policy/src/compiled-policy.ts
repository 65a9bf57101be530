import type { PolicyDocument } from './policy-document';
import type {
  DataCategoryName,
  ExceptionReasonName,
  LegalBasisName,
  PurposeName,
  RecipientRoleName,
} from './vocabulary';

export interface CompiledRule {
  readonly id: string;
  readonly description: string;
  readonly basis: LegalBasisName;
  readonly needToKnow: boolean;
  /** Released fields per category (the category's own list when the rule does not restrict). */
  readonly fields: Readonly<Partial<Record<DataCategoryName, readonly string[]>>>;
  readonly breakGlass: boolean;
}

export interface CompiledProhibition {
  readonly id: string;
  readonly description: string;
  /** Undefined: every purpose. */
  readonly purposes: ReadonlySet<PurposeName> | undefined;
  readonly appliesWhen: 'always' | 'requester_serves_alleged_perpetrator';
  readonly withholdAs: 'prohibited' | 'aggregate_only';
  readonly legalReference: string | undefined;
}

export interface MinimumNecessary {
  readonly coarser: DataCategoryName;
  readonly sufficientFor: ReadonlySet<PurposeName>;
}

export interface BreakGlassPolicy {
  readonly bases: ReadonlySet<LegalBasisName>;
  readonly recipients: ReadonlySet<RecipientRoleName>;
  readonly purposes: ReadonlySet<PurposeName>;
  readonly categories: ReadonlySet<DataCategoryName>;
  readonly grantMinutes: number;
}

type ByPurpose = Partial<Record<PurposeName, readonly CompiledRule[]>>;
type ByRole = Partial<Record<RecipientRoleName, ByPurpose>>;

/**
 * A policy indexed for decisions: rules by category, recipient role and purpose (ordered
 * statutory duty first, then registry bases, then claimed exceptions), prohibitions and
 * minimum-necessary pairs by category.
 */
export interface CompiledPolicy {
  readonly version: string;
  readonly document: PolicyDocument;
  readonly categoryFields: Readonly<Record<DataCategoryName, readonly string[]>>;
  readonly rules: Readonly<Partial<Record<DataCategoryName, ByRole>>>;
  readonly prohibitions: Readonly<Partial<Record<DataCategoryName, readonly CompiledProhibition[]>>>;
  readonly minimumNecessary: Readonly<Partial<Record<DataCategoryName, MinimumNecessary>>>;
  readonly exceptionReasons: Readonly<Partial<Record<LegalBasisName, ReadonlySet<ExceptionReasonName>>>>;
  readonly minJustificationLength: number;
  readonly breakGlass: BreakGlassPolicy;
  /**
   * Explanations and synthetic rules depend only on the policy and a few names, so they are
   * built once per policy and reused (a withheld item's text is most of a decision's cost).
   */
  readonly memo: Map<unknown, unknown>;
}

/**
 * Looks up (or builds once) a value keyed by up to five parts: nested maps keyed by the
 * vocabulary's interned strings and by object identity, which hash without building a key.
 */
function level(map: Map<unknown, unknown>, key: unknown): Map<unknown, unknown> {
  let next = map.get(key) as Map<unknown, unknown> | undefined;
  if (next === undefined) {
    next = new Map();
    map.set(key, next);
  }
  return next;
}

export function memoised<T>(policy: CompiledPolicy, build: () => T, a: unknown, b?: unknown, c?: unknown, d?: unknown, e?: unknown): T {
  const map = level(level(level(level(policy.memo, a), b), c), d);
  let value = map.get(e) as T | undefined;
  if (value === undefined) {
    value = build();
    map.set(e, value);
  }
  return value;
}

export function rulesFor(
  policy: CompiledPolicy,
  category: DataCategoryName,
  role: RecipientRoleName,
  purpose: PurposeName,
): readonly CompiledRule[] {
  return policy.rules[category]?.[role]?.[purpose] ?? NO_RULES;
}

export const NO_RULES: readonly CompiledRule[] = [];
