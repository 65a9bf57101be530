export { NO_RULES, rulesFor, type BreakGlassPolicy, type CompiledPolicy, type CompiledProhibition, type CompiledRule } from './compiled-policy';
export {
  breakGlassProblems,
  claimProblems,
  decide,
  type BasisClaim,
  type ConsentGrant,
  type ConsentUse,
  type Decision,
  type DecisionFacts,
  type DecisionRequest,
  type Involvement,
  type Outcome,
  type Release,
  type Requester,
  type Withholding,
} from './decide';
export { PolicyValidationError, loadPolicy } from './load-policy';
export { loadDirectory, type Directory, type SystemEntry, type Subscription, type UnitEntry } from './directory';
export { minimiseFields, type HeldField } from './minimise';
export type { PolicyDocument } from './policy-document';
export * from './vocabulary';
