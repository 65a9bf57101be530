import type { ScreeningDecision } from './screen';
import {
  OVERRIDE_JUSTIFICATION_MAX,
  OVERRIDE_JUSTIFICATION_MIN,
  OVERRIDE_REASONS,
  RISK_LIGHTS,
  SCREENING_CATEGORIES,
  type OverrideReason,
  type RiskLight,
  type ScreeningCategory,
} from './screening-vocabulary';

/** A screener's change to a decision. Fields are `string` so input from a form is checked, not trusted. */
export interface ScreeningOverride {
  readonly category?: string;
  readonly urgency?: string;
  readonly reason: string;
  readonly justification: string;
  readonly screenerUnitId: string;
  readonly screenerId: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

export type OverrideField = 'category' | 'urgency' | 'reason' | 'justification' | 'screenerUnitId' | 'screenerId' | 'at';

export interface OverrideFieldError {
  readonly field: OverrideField;
  readonly message: string;
}

export type OverrideResult =
  | { readonly ok: true; readonly decision: ScreeningDecision }
  | { readonly ok: false; readonly errors: readonly OverrideFieldError[] };

const UNIT_ID = /^[a-z][a-z0-9-]{1,80}$/;
const SCREENER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function isOneOf<T extends string>(values: readonly T[], v: string): v is T {
  return (values as readonly string[]).includes(v);
}

/**
 * A new decision with the override applied and recorded (who, why, from → to); the input is
 * left as it was. Refuses with every field-level problem, not just the first.
 */
export function applyOverride(decision: ScreeningDecision, override: ScreeningOverride): OverrideResult {
  const errors: OverrideFieldError[] = [];
  let category: ScreeningCategory = decision.category;
  let urgency: RiskLight = decision.urgency;
  if (override.category !== undefined) {
    if (isOneOf(SCREENING_CATEGORIES, override.category)) category = override.category;
    else errors.push({ field: 'category', message: `unknown category ${override.category} (${SCREENING_CATEGORIES.join(', ')})` });
  }
  if (override.urgency !== undefined) {
    if (isOneOf(RISK_LIGHTS, override.urgency)) urgency = override.urgency;
    else errors.push({ field: 'urgency', message: `unknown risk light ${override.urgency} (${RISK_LIGHTS.join(', ')})` });
  }
  if (override.category === undefined && override.urgency === undefined) {
    errors.push({ field: 'category', message: 'an override must change the category, the urgency or both' });
  } else if (errors.length === 0 && category === decision.category && urgency === decision.urgency) {
    errors.push({ field: override.category !== undefined ? 'category' : 'urgency', message: 'the override changes nothing: the decision already says so' });
  }
  let reason: OverrideReason | undefined;
  if (isOneOf(OVERRIDE_REASONS, override.reason)) reason = override.reason;
  else errors.push({ field: 'reason', message: `unknown reason ${override.reason} (${OVERRIDE_REASONS.join(', ')})` });
  const justification = override.justification.trim();
  if (justification.length === 0) errors.push({ field: 'justification', message: 'required' });
  else if (justification.length < OVERRIDE_JUSTIFICATION_MIN) {
    errors.push({ field: 'justification', message: `at least ${OVERRIDE_JUSTIFICATION_MIN} characters (got ${justification.length})` });
  } else if (justification.length > OVERRIDE_JUSTIFICATION_MAX) {
    errors.push({ field: 'justification', message: `at most ${OVERRIDE_JUSTIFICATION_MAX} characters (got ${justification.length})` });
  }
  if (!UNIT_ID.test(override.screenerUnitId)) errors.push({ field: 'screenerUnitId', message: 'required: a unit id such as nantou-intake-centre' });
  if (!SCREENER_ID.test(override.screenerId)) errors.push({ field: 'screenerId', message: 'required: the screener\'s staff id' });
  if (!Number.isFinite(override.at)) errors.push({ field: 'at', message: 'required: epoch milliseconds' });
  const last = decision.overrides.at(-1);
  if (last && Number.isFinite(override.at) && override.at < last.at) errors.push({ field: 'at', message: 'earlier than the previous override' });
  if (errors.length > 0 || reason === undefined) return { ok: false, errors };
  return {
    ok: true,
    decision: {
      ...decision,
      category,
      urgency,
      overrides: [
        ...decision.overrides,
        {
          reason,
          justification,
          screenerUnitId: override.screenerUnitId,
          screenerId: override.screenerId,
          at: override.at,
          from: { category: decision.category, urgency: decision.urgency },
          to: { category, urgency },
        },
      ],
    },
  };
}
