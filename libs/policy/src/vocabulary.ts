/**
 * The words of the disclosure policy. The policy file, the decision engine and its
 * explanations use these snake_case names; the gateway maps them to the protobuf enums.
 */

export const DATA_CATEGORIES = [
  'identity',
  'household_composition',
  'welfare_benefit_status',
  'protection_case_status',
  'protection_case_details',
  'mental_health', // diagnosis and treatment
  'suicide_risk_flag',
  'education', // attendance and counselling
  'employment_services',
  'police_incident',
  'criminal_record',
  'sexual_assault_victim_identity',
  'dv_victim_whereabouts',
] as const;
export type DataCategoryName = (typeof DATA_CATEGORIES)[number];

export const RECIPIENT_ROLES = [
  'social_welfare_centre', // 社福中心
  'protection_team', // 保護服務
  'intake_dispatch_centre', // 集派中心
  'community_mental_health_centre', // 心衛中心
  'school_counselling', // 學校輔導
  'juvenile_counselling_committee', // 少輔會
  'employment_service_station', // 就業服務站
  'police_precinct', // 警察分局
] as const;
export type RecipientRoleName = (typeof RECIPIENT_ROLES)[number];

export const PURPOSES = [
  'intake_screening',
  'risk_assessment',
  'case_coordination',
  'case_conference',
  'emergency_response',
  'statutory_report',
  'statistics',
] as const;
export type PurposeName = (typeof PURPOSES)[number];

export const LEGAL_BASES = [
  'consent',
  'statutory_duty',
  'client_waiver',
  'imminent_danger',
  'duty_to_warn',
  'legal_reporting_duty',
  'infectious_disease',
  'suicide_risk',
  'criminal_case',
] as const;
export type LegalBasisName = (typeof LEGAL_BASES)[number];

/** Bases that rest on a record in the consent registry. */
export const REGISTRY_BASES: readonly LegalBasisName[] = ['consent', 'client_waiver'];

/** Confidentiality exceptions the requester must claim with a typed reason and a justification. */
export const CLAIMED_BASES: readonly LegalBasisName[] = [
  'imminent_danger',
  'duty_to_warn',
  'legal_reporting_duty',
  'infectious_disease',
  'suicide_risk',
  'criminal_case',
];

export const EXCEPTION_REASONS = [
  'written_waiver_on_file',
  'threat_of_serious_harm',
  'child_at_risk',
  'threat_to_identified_third_party',
  'mandatory_report',
  'notifiable_disease',
  'suicide_attempt_or_plan',
  'court_or_prosecutor_request',
] as const;
export type ExceptionReasonName = (typeof EXCEPTION_REASONS)[number];

export const WITHHOLD_REASONS = [
  'prohibited',
  'no_involvement',
  'no_legal_basis',
  'consent_missing',
  'justification_missing',
  'minimum_necessary',
  'field_not_permitted',
  'aggregate_only',
  'source_unavailable',
  'registry_unavailable',
  'rate_limited',
  'unknown_requester',
] as const;
export type WithholdReasonName = (typeof WITHHOLD_REASONS)[number];

export const INVOLVEMENT_KINDS = ['lead', 'collaborator', 'dispatched', 'emergency'] as const;
export type InvolvementKind = (typeof INVOLVEMENT_KINDS)[number];

const labels: Readonly<Record<string, string>> = {
  mental_health: 'mental-health diagnosis and treatment',
  suicide_risk_flag: 'suicide-risk flag',
  dv_victim_whereabouts: "a domestic-violence victim's whereabouts",
  sexual_assault_victim_identity: "a sexual-assault victim's identity",
  education: 'education attendance and counselling',
};

/** Human wording of a vocabulary name for explanations: "mental_health" -> "mental-health …". */
export function label(name: string): string {
  return labels[name] ?? name.replace(/_/g, ' ');
}
