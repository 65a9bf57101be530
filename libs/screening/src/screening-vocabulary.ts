/**
 * The closed vocabularies screening works in. The strings match libs/synthetic's event types
 * (ReportCategory, ReportChannel, ReporterType, VulnerableNeed, SubjectRoleName) so a report
 * from the intake form or the simulator is screened without translation; the JSON Schema's
 * enums list the same values (a spec checks they agree).
 */

/** What a report is about; the screener's decision uses the same list. */
export const SCREENING_CATEGORIES = [
  'child-protection', // 兒少保護
  'adult-protection', // 成人保護（含家庭暴力）
  'elder-protection', // 老人保護
  'sexual-assault', // 性侵害
  'vulnerable-family', // 脆弱家庭
  'juvenile-deviant-behaviour', // 少年偏差行為
  'mental-health-crisis', // 精神危機
  'suicide-risk', // 自殺風險
] as const;
export type ScreeningCategory = (typeof SCREENING_CATEGORIES)[number];

/** Categories in which a protection case (保護案件) may be opened. */
export const PROTECTION_CATEGORIES: readonly ScreeningCategory[] = ['child-protection', 'adult-protection', 'elder-protection', 'sexual-assault'];

export function isProtectionCategory(category: ScreeningCategory): boolean {
  return PROTECTION_CATEGORIES.includes(category);
}

/** Risk light (風險燈號), most urgent first. */
export const RISK_LIGHTS = ['red', 'orange', 'yellow', 'green'] as const;
export type RiskLight = (typeof RISK_LIGHTS)[number];

/** Higher is more urgent. */
export function lightRank(light: RiskLight): number {
  return RISK_LIGHTS.length - RISK_LIGHTS.indexOf(light);
}

export function higherLight(a: RiskLight, b: RiskLight): RiskLight {
  return lightRank(a) >= lightRank(b) ? a : b;
}

export const REPORT_CHANNELS = [
  'police',
  'school',
  'hospital',
  'mental-health',
  'employment',
  'welfare',
  'public-online',
  'convenience-store',
  'village-officer',
  'volunteer',
] as const;
export type ReportChannel = (typeof REPORT_CHANNELS)[number];

export const REPORTER_TYPES = [
  'police-officer',
  'teacher',
  'school-counsellor',
  'doctor',
  'nurse',
  'hospital-social-worker',
  'mental-health-social-worker',
  'employment-counsellor',
  'social-worker',
  'village-officer',
  'volunteer',
  'store-clerk',
  'neighbour',
  'relative',
  'self',
  'anonymous',
] as const;
export type ReporterType = (typeof REPORTER_TYPES)[number];

/** Need categories of a vulnerable family (脆弱家庭需求類別). */
export const VULNERABLE_NEEDS = [
  'economic',
  'care',
  'housing',
  'unemployment',
  'illness',
  'family-conflict',
  'parenting',
  'child-development',
  'disability',
  'substance-use',
] as const;
export type VulnerableNeed = (typeof VULNERABLE_NEEDS)[number];

/** A person's part in the report. */
export const PERSON_ROLES = ['victim', 'alleged-perpetrator', 'child', 'reported-person', 'caregiver'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/** The family's standing with the welfare system when the report arrives; closed counts as none. */
export const FAMILY_CASE_STATUSES = ['none', 'opened', 'long-term-care'] as const;
export type FamilyCaseStatus = (typeof FAMILY_CASE_STATUSES)[number];

/** Facts a rule may attach for dispatch, beyond category and light. */
export const SCREENING_FLAGS = [
  // a juvenile report that also shows harm at home: dispatch sends it to the protection team
  'protection-concern',
] as const;
export type ScreeningFlag = (typeof SCREENING_FLAGS)[number];

/** Why a screener overrode the rules (typed so overrides can be counted and reviewed). */
export const OVERRIDE_REASONS = [
  'additional-information', // the screener learned something the report did not say
  'reporter-callback', // calling the reporter back changed the picture
  'duplicate-of-open-case', // the family's open case already covers this
  'professional-judgement', // the screener's judgement differs from the rules
  'rule-gap', // no rule covers this situation; flags the rules for review
] as const;
export type OverrideReason = (typeof OVERRIDE_REASONS)[number];

export const OVERRIDE_JUSTIFICATION_MIN = 10;
export const OVERRIDE_JUSTIFICATION_MAX = 500;
