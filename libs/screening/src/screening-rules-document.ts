import type {
  FamilyCaseStatus,
  PersonRole,
  ReportChannel,
  ReporterType,
  RiskLight,
  ScreeningCategory,
  ScreeningFlag,
  VulnerableNeed,
} from './screening-vocabulary';

/** rules/screening-rules.yaml as written (snake_case), after schema validation. */
export interface ScreeningRulesDocument {
  readonly screening: 'weave-screening';
  readonly version: string;
  readonly effective_from: string;
  readonly description?: string;
  readonly prior_reports: { readonly window_days: number };
  readonly default_light: Readonly<Record<ScreeningCategory, RiskLight>>;
  readonly indicators: Readonly<Record<string, IndicatorDocument>>;
  readonly rules: readonly ScreeningRuleDocument[];
}

export interface IndicatorDocument {
  readonly description: string;
  readonly keywords: readonly string[];
  /** Phrases that contain a keyword but mean the opposite (不想死 contains 想死). */
  readonly except?: readonly string[];
}

export type RulePhase = 'categorise' | 'urgency';

export interface ScreeningRuleDocument {
  readonly id: string;
  readonly description: string;
  readonly phase: RulePhase;
  readonly when: RuleConditions;
  readonly then: RuleEffect;
}

/** Every condition given must hold (AND); a list condition holds when any listed value matches. */
export interface RuleConditions {
  readonly category?: readonly ScreeningCategory[];
  readonly channel?: readonly ReportChannel[];
  readonly reporter_type?: readonly ReporterType[];
  readonly responsible_reporter?: boolean;
  readonly needs_any?: readonly VulnerableNeed[];
  readonly indicators_any?: readonly string[];
  readonly indicators_all?: readonly string[];
  readonly person?: PersonCondition;
  readonly prior_reports_min?: number;
  readonly family_case?: readonly FamilyCaseStatus[];
}

/** Some person in the report has one of the roles and an age known to be in range. */
export interface PersonCondition {
  readonly roles?: readonly PersonRole[];
  readonly age_min?: number;
  readonly age_max?: number;
}

export interface RuleEffect {
  readonly category?: ScreeningCategory;
  readonly light?: RiskLight;
  readonly add_needs?: readonly VulnerableNeed[];
  readonly flags?: readonly ScreeningFlag[];
}
