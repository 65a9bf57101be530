export { applyOverride, type OverrideField, type OverrideFieldError, type OverrideResult, type ScreeningOverride } from './apply-override';
export {
  ScreeningRulesError,
  loadScreeningRules,
  loadScreeningRulesFile,
  normaliseText,
  type CompiledIndicator,
  type CompiledRule,
  type ScreeningRules,
} from './load-screening-rules';
export {
  narrativeIndicators,
  screen,
  type FiredRule,
  type OverrideRecord,
  type PriorReport,
  type RuleEffectApplied,
  type ScreeningDecision,
  type ScreeningInput,
  type ScreeningPerson,
} from './screen';
export type { IndicatorDocument, PersonCondition, RuleConditions, RuleEffect, RulePhase, ScreeningRuleDocument, ScreeningRulesDocument } from './screening-rules-document';
export * from './screening-vocabulary';
