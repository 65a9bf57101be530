/**
 * The decision table: the shipped policy (policies/disclosure-policy.yaml) against cases a
 * reviewer can read row by row. Each row: who asks, for what, with which facts, and what
 * must be released (with the rule) or withheld (with the reason and the rule). A policy
 * change that alters any of these answers fails here and must change the row too.
 */
import { decide, type Decision } from './decide';
import { DAY, JUSTIFICATION, NOW, claim, requestAndFacts, shippedPolicy, unitOf, type Scenario } from './testing/policy-fixtures';
import type { DataCategoryName, WithholdReasonName } from './vocabulary';

type Expect =
  | { released: string; basis?: string; consents?: number; breakGlass?: boolean; fieldsExclude?: string[] }
  | { withheld: WithholdReasonName; rule?: string; wouldPermitIncludes?: string };

const policy = shippedPolicy();

const waiver = { kind: 'waiver' as const };
const short = 'too short';

/** [case, scenario (one category), expectation for that category] */
const table: [string, Scenario, Expect][] = [
  // --- identity ----------------------------------------------------------------------------
  ['identity to an involved welfare centre for coordination', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['identity'], involved: true }, { released: 'R01-identity-involved', basis: 'statutory_duty' }],
  ['identity to an uninvolved welfare centre', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['identity'] }, { withheld: 'no_involvement', rule: 'R01-identity-involved', wouldPermitIncludes: 'a dispatch to this unit' }],
  ['identity to the intake centre screening a report, without involvement', { role: 'intake_dispatch_centre', purpose: 'intake_screening', categories: ['identity'] }, { released: 'R02-identity-intake' }],
  ['identity under a deadly infectious disease claim', { role: 'community_mental_health_centre', purpose: 'emergency_response', categories: ['identity'], claim: claim('infectious_disease', 'notifiable_disease') }, { released: 'R03-identity-infectious', basis: 'infectious_disease' }],
  ['identity under an infectious disease claim with a too-short justification', { role: 'community_mental_health_centre', purpose: 'emergency_response', categories: ['identity'], claim: claim('infectious_disease', 'notifiable_disease', short) }, { withheld: 'justification_missing', rule: 'R03-identity-infectious', wouldPermitIncludes: 'at least 20 characters' }],
  ['identity for statistics', { role: 'social_welfare_centre', purpose: 'statistics', categories: ['identity'], involved: true }, { withheld: 'aggregate_only', rule: 'P03-statistics-aggregate-only' }],
  ['identity: a consent adds nothing to a statutory release', { role: 'school_counselling', purpose: 'case_coordination', categories: ['identity'], involved: true, consents: [{}] }, { released: 'R01-identity-involved', consents: 0 }],
  ['identity to an involved police precinct in an emergency', { role: 'police_precinct', purpose: 'emergency_response', categories: ['identity'], involved: true }, { released: 'R01-identity-involved' }],
  // --- household composition ---------------------------------------------------------------
  ['household to an involved protection team for risk assessment', { role: 'protection_team', purpose: 'risk_assessment', categories: ['household_composition'], involved: true }, { released: 'R01-identity-involved' }],
  ['household to the intake centre for a statutory report', { role: 'intake_dispatch_centre', purpose: 'statutory_report', categories: ['household_composition'] }, { released: 'R02-identity-intake' }],
  ['household to an uninvolved employment station', { role: 'employment_service_station', purpose: 'intake_screening', categories: ['household_composition'] }, { withheld: 'no_involvement' }],
  ['household to a welfare centre for statistics', { role: 'social_welfare_centre', purpose: 'statistics', categories: ['household_composition'] }, { withheld: 'aggregate_only' }],
  // --- welfare benefit status: statutory, consent, waiver --------------------------------------
  ['welfare status to an involved welfare centre', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true }, { released: 'R10-welfare-statutory' }],
  ['welfare status to a school with consent', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true, consents: [{}] }, { released: 'R11-welfare-consent', basis: 'consent', consents: 1 }],
  ['welfare status to a school without consent', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true }, { withheld: 'consent_missing', rule: 'R11-welfare-consent', wouldPermitIncludes: 'consent from the subject or a guardian covering welfare benefit status for school counselling for case coordination' }],
  ['welfare status with consent for another purpose only', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true, consents: [{ purposes: ['case_conference'] }] }, { withheld: 'consent_missing' }],
  ['welfare status with a withdrawn consent', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true, consents: [{ withdrawnAt: NOW - 1000 }] }, { withheld: 'consent_missing' }],
  ['welfare status with an expired consent', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true, consents: [{ validUntil: NOW - DAY }] }, { withheld: 'consent_missing' }],
  ['welfare status with a consent not yet valid', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true, consents: [{ validFrom: NOW + DAY }] }, { withheld: 'consent_missing' }],
  ['welfare status with a consent naming this unit', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true, consents: [{ recipientRoles: [], recipientUnits: [unitOf('school_counselling')] }] }, { released: 'R11-welfare-consent' }],
  ['welfare status with a consent naming another unit', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true, consents: [{ recipientRoles: [], recipientUnits: ['another-school'] }] }, { withheld: 'consent_missing' }],
  ['welfare status with a consent for another category', { role: 'school_counselling', purpose: 'case_coordination', categories: ['welfare_benefit_status'], involved: true, consents: [{ categories: ['education'] }] }, { withheld: 'consent_missing' }],
  ['welfare status to the police under a recorded waiver', { role: 'police_precinct', purpose: 'case_conference', categories: ['welfare_benefit_status'], involved: true, consents: [waiver] }, { released: 'R12-welfare-waiver', basis: 'client_waiver', consents: 1 }],
  ['welfare status when the consent registry is down', { role: 'police_precinct', purpose: 'case_conference', categories: ['welfare_benefit_status'], involved: true, consentsUnavailable: true }, { withheld: 'registry_unavailable' }],
  ['welfare status to the intake centre for screening', { role: 'intake_dispatch_centre', purpose: 'intake_screening', categories: ['welfare_benefit_status'], involved: true }, { released: 'R10-welfare-statutory' }],
  ['welfare status for emergency response: no rule', { role: 'social_welfare_centre', purpose: 'emergency_response', categories: ['welfare_benefit_status'], involved: true }, { withheld: 'no_legal_basis', wouldPermitIncludes: 'a different declared purpose' }],
  // --- protection case status ------------------------------------------------------------------
  ['protection status to an involved school for coordination', { role: 'school_counselling', purpose: 'case_coordination', categories: ['protection_case_status'], involved: true }, { released: 'R20-protection-status' }],
  ['protection status to an employment station: no rule for it', { role: 'employment_service_station', purpose: 'case_coordination', categories: ['protection_case_status'], involved: true }, { withheld: 'no_legal_basis', wouldPermitIncludes: 'for no purpose' }],
  ['protection status to an involved precinct in an emergency', { role: 'police_precinct', purpose: 'emergency_response', categories: ['protection_case_status'], involved: true }, { released: 'R20-protection-status' }],
  ['protection status after the involvement ended', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['protection_case_status'], involved: { validUntil: NOW - DAY } }, { withheld: 'no_involvement' }],
  ['protection status before the involvement starts', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['protection_case_status'], involved: { validFrom: NOW + DAY } }, { withheld: 'no_involvement' }],
  ['protection status when another unit is involved, not this one', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['protection_case_status'], involved: { unitId: 'someone-else' } }, { withheld: 'no_involvement' }],
  ['protection status when the involvement registry is down', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['protection_case_status'], involvementsUnavailable: true }, { withheld: 'registry_unavailable' }],
  // --- protection case details: minimum necessary, consent, claimed exceptions ---------------
  ['protection details to the protection team for risk assessment, without the perpetrator field', { role: 'protection_team', purpose: 'risk_assessment', categories: ['protection_case_details'], involved: true }, { released: 'R21-protection-details-statutory', fieldsExclude: ['alleged_perpetrator_pseudonym'] }],
  ['protection details for coordination: the status is enough', { role: 'protection_team', purpose: 'case_coordination', categories: ['protection_case_details'], involved: true }, { withheld: 'minimum_necessary', rule: 'R21-protection-details-statutory', wouldPermitIncludes: 'risk assessment' }],
  ['protection details to a welfare centre for a case conference', { role: 'social_welfare_centre', purpose: 'case_conference', categories: ['protection_case_details'], involved: true }, { released: 'R21-protection-details-statutory' }],
  ['protection details to a mental health centre for a conference with consent', { role: 'community_mental_health_centre', purpose: 'case_conference', categories: ['protection_case_details'], involved: true, consents: [{}] }, { released: 'R22-protection-details-consent', basis: 'consent' }],
  ['protection details to a mental health centre without consent', { role: 'community_mental_health_centre', purpose: 'case_conference', categories: ['protection_case_details'], involved: true }, { withheld: 'consent_missing', rule: 'R22-protection-details-consent' }],
  ['protection details to the police under imminent danger', { role: 'police_precinct', purpose: 'emergency_response', categories: ['protection_case_details'], claim: claim('imminent_danger', 'threat_of_serious_harm') }, { released: 'R23-protection-details-danger', basis: 'imminent_danger' }],
  ['protection details to the police with a reason that does not fit the basis', { role: 'police_precinct', purpose: 'emergency_response', categories: ['protection_case_details'], claim: claim('imminent_danger', 'suicide_attempt_or_plan') }, { withheld: 'justification_missing', rule: 'R23-protection-details-danger' }],
  ['protection details reported under a legal reporting duty', { role: 'protection_team', purpose: 'statutory_report', categories: ['protection_case_details'], claim: claim('legal_reporting_duty', 'mandatory_report') }, { released: 'R24-protection-reporting', basis: 'legal_reporting_duty' }],
  ['protection details for a statutory report without the claim', { role: 'protection_team', purpose: 'statutory_report', categories: ['protection_case_details'] }, { withheld: 'no_legal_basis', rule: 'R24-protection-reporting', wouldPermitIncludes: 'a claim of legal reporting duty' }],
  ['protection details to the police in a criminal case', { role: 'police_precinct', purpose: 'statutory_report', categories: ['protection_case_details'], involved: true, claim: claim('criminal_case', 'court_or_prosecutor_request') }, { released: 'R25-protection-criminal-case', basis: 'criminal_case' }],
  ['protection details in a criminal case to an uninvolved precinct', { role: 'police_precinct', purpose: 'statutory_report', categories: ['protection_case_details'], claim: claim('criminal_case', 'court_or_prosecutor_request') }, { withheld: 'no_involvement', rule: 'R25-protection-criminal-case' }],
  // --- mental health ---------------------------------------------------------------------------
  ['mental health to a welfare centre for coordination with consent', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['mental_health'], involved: true, consents: [{}] }, { released: 'R30-mental-health-consent', basis: 'consent', fieldsExclude: ['hospitalisations_12m'] }],
  ['mental health to a welfare centre for coordination without consent', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['mental_health'], involved: true }, { withheld: 'consent_missing', rule: 'R30-mental-health-consent', wouldPermitIncludes: 'consent from the subject or a guardian covering mental-health diagnosis and treatment for social welfare centre for case coordination' }],
  ['mental health to the mental health centre serving the subject', { role: 'community_mental_health_centre', purpose: 'risk_assessment', categories: ['mental_health'], involved: true }, { released: 'R31-mental-health-centre' }],
  ['mental health to the protection team under imminent danger', { role: 'protection_team', purpose: 'risk_assessment', categories: ['mental_health'], involved: true, claim: claim('imminent_danger', 'child_at_risk') }, { released: 'R32-mental-health-danger', basis: 'imminent_danger' }],
  ['mental health to the protection team for risk assessment with no claim', { role: 'protection_team', purpose: 'risk_assessment', categories: ['mental_health'], involved: true }, { withheld: 'no_legal_basis', rule: 'R32-mental-health-danger' }],
  ['mental health to the police under a duty to warn', { role: 'police_precinct', purpose: 'emergency_response', categories: ['mental_health'], claim: claim('duty_to_warn', 'threat_to_identified_third_party') }, { released: 'R33-mental-health-warn', basis: 'duty_to_warn' }],
  ['mental health under a duty to warn with a reason for another basis', { role: 'police_precinct', purpose: 'emergency_response', categories: ['mental_health'], claim: claim('duty_to_warn', 'threat_of_serious_harm') }, { withheld: 'justification_missing', rule: 'R33-mental-health-warn' }],
  ['mental health to a welfare centre under a recorded waiver', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['mental_health'], involved: true, consents: [waiver] }, { released: 'R36-mental-health-waiver', basis: 'client_waiver' }],
  ['mental health to the intake centre: no rule', { role: 'intake_dispatch_centre', purpose: 'intake_screening', categories: ['mental_health'], involved: true }, { withheld: 'no_legal_basis' }],
  ['mental health for statistics', { role: 'community_mental_health_centre', purpose: 'statistics', categories: ['mental_health'], involved: true }, { withheld: 'aggregate_only' }],
  ['mental health when the consent registry is down', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['mental_health'], involved: true, consentsUnavailable: true }, { withheld: 'registry_unavailable' }],
  // --- suicide-risk flag -----------------------------------------------------------------------
  ['suicide-risk flag to a school under suicide risk', { role: 'school_counselling', purpose: 'risk_assessment', categories: ['suicide_risk_flag'], involved: true, claim: claim('suicide_risk', 'suicide_attempt_or_plan') }, { released: 'R34-suicide-risk', basis: 'suicide_risk' }],
  ['suicide-risk flag to a school without a claim', { role: 'school_counselling', purpose: 'risk_assessment', categories: ['suicide_risk_flag'], involved: true }, { withheld: 'no_legal_basis', rule: 'R34-suicide-risk', wouldPermitIncludes: 'a claim of suicide risk' }],
  ['suicide-risk flag to the mental health centre in an emergency', { role: 'community_mental_health_centre', purpose: 'emergency_response', categories: ['suicide_risk_flag'], involved: true }, { released: 'R31-mental-health-centre' }],
  ['suicide-risk flag to a welfare centre for coordination with consent', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['suicide_risk_flag'], involved: true, consents: [{}] }, { released: 'R35-suicide-risk-consent' }],
  ['suicide-risk flag under a claim to an uninvolved welfare centre', { role: 'social_welfare_centre', purpose: 'risk_assessment', categories: ['suicide_risk_flag'], claim: claim('suicide_risk', 'suicide_attempt_or_plan') }, { withheld: 'no_involvement', rule: 'R34-suicide-risk' }],
  // --- education -------------------------------------------------------------------------------
  ['education to the involved school counselling unit', { role: 'school_counselling', purpose: 'case_coordination', categories: ['education'], involved: true }, { released: 'R40-education-statutory' }],
  ['education to the juvenile counselling committee for risk assessment', { role: 'juvenile_counselling_committee', purpose: 'risk_assessment', categories: ['education'], involved: true }, { released: 'R40-education-statutory' }],
  ['education to the police for a case conference with consent', { role: 'police_precinct', purpose: 'case_conference', categories: ['education'], involved: true, consents: [{}] }, { released: 'R41-education-consent' }],
  ['education to the police for a case conference without consent', { role: 'police_precinct', purpose: 'case_conference', categories: ['education'], involved: true }, { withheld: 'consent_missing', rule: 'R41-education-consent' }],
  // --- employment services ---------------------------------------------------------------------
  ['employment services to the involved employment station', { role: 'employment_service_station', purpose: 'case_coordination', categories: ['employment_services'], involved: true }, { released: 'R50-employment-statutory' }],
  ['employment services to the protection team with consent', { role: 'protection_team', purpose: 'case_coordination', categories: ['employment_services'], involved: true, consents: [{}] }, { released: 'R51-employment-consent' }],
  ['employment services to a school under a recorded waiver', { role: 'school_counselling', purpose: 'case_coordination', categories: ['employment_services'], involved: true, consents: [waiver] }, { released: 'R12-welfare-waiver', basis: 'client_waiver' }],
  ['employment services to a school with neither consent nor waiver', { role: 'school_counselling', purpose: 'case_coordination', categories: ['employment_services'], involved: true }, { withheld: 'consent_missing', rule: 'R12-welfare-waiver', wouldPermitIncludes: 'recorded waiver' }],
  // --- police incidents ------------------------------------------------------------------------
  ['police incident reported to the protection team', { role: 'protection_team', purpose: 'statutory_report', categories: ['police_incident'] }, { released: 'R60-police-incident-report' }],
  ['police incident to the intake centre for screening', { role: 'intake_dispatch_centre', purpose: 'intake_screening', categories: ['police_incident'] }, { released: 'R60-police-incident-report' }],
  ['police incident to an uninvolved welfare centre', { role: 'social_welfare_centre', purpose: 'risk_assessment', categories: ['police_incident'] }, { withheld: 'no_involvement', rule: 'R61-police-incident-involved' }],
  ['police incident to an involved juvenile counselling committee', { role: 'juvenile_counselling_committee', purpose: 'case_coordination', categories: ['police_incident'], involved: true }, { released: 'R61-police-incident-involved' }],
  ['police incident to a school: no rule', { role: 'school_counselling', purpose: 'case_coordination', categories: ['police_incident'], involved: true }, { withheld: 'no_legal_basis' }],
  ['police incident report prefers the statutory rule over a claimed duty', { role: 'protection_team', purpose: 'statutory_report', categories: ['police_incident'], claim: claim('legal_reporting_duty', 'mandatory_report') }, { released: 'R60-police-incident-report', basis: 'statutory_duty' }],
  ['police incident still flows when the involvement registry is down', { role: 'protection_team', purpose: 'statutory_report', categories: ['police_incident'], involvementsUnavailable: true }, { released: 'R60-police-incident-report' }],
  // --- criminal record -------------------------------------------------------------------------
  ['criminal record to the involved precinct', { role: 'police_precinct', purpose: 'risk_assessment', categories: ['criminal_record'], involved: true }, { released: 'R62-criminal-record-police' }],
  ['criminal record to the protection team for a danger assessment', { role: 'protection_team', purpose: 'risk_assessment', categories: ['criminal_record'], involved: true, claim: claim('imminent_danger', 'threat_of_serious_harm') }, { released: 'R63-criminal-record-danger', fieldsExclude: ['on_probation'] }],
  ['criminal record to the protection team with no claim', { role: 'protection_team', purpose: 'risk_assessment', categories: ['criminal_record'], involved: true }, { withheld: 'no_legal_basis', rule: 'R63-criminal-record-danger' }],
  ['criminal record to a welfare centre: no rule, even with consent', { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['criminal_record'], involved: true, consents: [{}] }, { withheld: 'no_legal_basis', wouldPermitIncludes: 'for no purpose' }],
  ['criminal record for statistics', { role: 'police_precinct', purpose: 'statistics', categories: ['criminal_record'], involved: true }, { withheld: 'aggregate_only' }],
  // --- sexual-assault victim identity --------------------------------------------------------
  ["sexual-assault victim's identity to the protection team serving her", { role: 'protection_team', purpose: 'case_coordination', categories: ['sexual_assault_victim_identity'], involved: true }, { released: 'R70-sa-identity-protection' }],
  ["sexual-assault victim's identity to a protection team serving the alleged perpetrator", { role: 'protection_team', purpose: 'case_coordination', categories: ['sexual_assault_victim_identity'], involved: true, servesAllegedPerpetrator: true }, { withheld: 'prohibited', rule: 'P02-sa-identity-perpetrator', wouldPermitIncludes: 'nothing' }],
  ["sexual-assault victim's identity to the mental health centre with consent", { role: 'community_mental_health_centre', purpose: 'case_coordination', categories: ['sexual_assault_victim_identity'], involved: true, consents: [{}] }, { released: 'R71-sa-identity-consent', basis: 'consent' }],
  ["sexual-assault victim's identity with consent to a unit serving the alleged perpetrator", { role: 'community_mental_health_centre', purpose: 'case_coordination', categories: ['sexual_assault_victim_identity'], involved: true, consents: [{}], servesAllegedPerpetrator: true }, { withheld: 'prohibited', rule: 'P02-sa-identity-perpetrator' }],
  ["sexual-assault victim's identity to the intake centre screening", { role: 'intake_dispatch_centre', purpose: 'intake_screening', categories: ['sexual_assault_victim_identity'], involved: true }, { released: 'R70-sa-identity-protection' }],
  ["sexual-assault victim's identity to the police: no rule", { role: 'police_precinct', purpose: 'case_coordination', categories: ['sexual_assault_victim_identity'], involved: true }, { withheld: 'no_legal_basis' }],
  // --- domestic-violence victim whereabouts --------------------------------------------------
  ["DV victim's whereabouts to the protection team serving her", { role: 'protection_team', purpose: 'risk_assessment', categories: ['dv_victim_whereabouts'], involved: true }, { released: 'R80-dv-whereabouts-protection' }],
  ["DV victim's whereabouts to a protection team serving the alleged perpetrator", { role: 'protection_team', purpose: 'risk_assessment', categories: ['dv_victim_whereabouts'], involved: true, servesAllegedPerpetrator: true }, { withheld: 'prohibited', rule: 'P01-dv-whereabouts-perpetrator' }],
  ["DV victim's whereabouts to the police under imminent danger", { role: 'police_precinct', purpose: 'emergency_response', categories: ['dv_victim_whereabouts'], claim: claim('imminent_danger', 'threat_of_serious_harm') }, { released: 'R81-dv-whereabouts-danger' }],
  ["DV victim's whereabouts under imminent danger to a precinct serving the alleged perpetrator", { role: 'police_precinct', purpose: 'emergency_response', categories: ['dv_victim_whereabouts'], claim: claim('imminent_danger', 'threat_of_serious_harm'), servesAllegedPerpetrator: true }, { withheld: 'prohibited', rule: 'P01-dv-whereabouts-perpetrator' }],
  ["DV victim's whereabouts to her welfare centre with her consent, township and safe contact only", { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['dv_victim_whereabouts'], involved: true, consents: [{}] }, { released: 'R82-dv-whereabouts-consent', fieldsExclude: ['shelter_placement'] }],
  ["DV victim's whereabouts with her consent to a unit serving the alleged perpetrator", { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['dv_victim_whereabouts'], involved: true, consents: [{}], servesAllegedPerpetrator: true }, { withheld: 'prohibited', rule: 'P01-dv-whereabouts-perpetrator' }],
  ["DV victim's whereabouts by break-glass to a unit serving the alleged perpetrator", { role: 'social_welfare_centre', purpose: 'emergency_response', categories: ['dv_victim_whereabouts'], breakGlass: claim('imminent_danger', 'threat_of_serious_harm'), servesAllegedPerpetrator: true }, { withheld: 'prohibited', rule: 'P01-dv-whereabouts-perpetrator' }],
  ["DV victim's whereabouts for statistics", { role: 'protection_team', purpose: 'statistics', categories: ['dv_victim_whereabouts'], involved: true }, { withheld: 'aggregate_only', rule: 'P03-statistics-aggregate-only' }],
  // --- break-glass -----------------------------------------------------------------------------
  ['break-glass: identity to an uninvolved welfare centre under imminent danger', { role: 'social_welfare_centre', purpose: 'emergency_response', categories: ['identity'], breakGlass: claim('imminent_danger', 'threat_of_serious_harm') }, { released: 'BG-imminent_danger', breakGlass: true }],
  ['break-glass: suicide-risk flag under suicide risk', { role: 'social_welfare_centre', purpose: 'emergency_response', categories: ['suicide_risk_flag'], breakGlass: claim('suicide_risk', 'suicide_attempt_or_plan') }, { released: 'BG-suicide_risk', basis: 'suicide_risk', breakGlass: true }],
  ['break-glass does not reach categories outside its list', { role: 'social_welfare_centre', purpose: 'emergency_response', categories: ['employment_services'], breakGlass: claim('imminent_danger', 'threat_of_serious_harm') }, { withheld: 'no_legal_basis' }],
  ['break-glass is not available to school counselling', { role: 'school_counselling', purpose: 'emergency_response', categories: ['identity'], breakGlass: claim('imminent_danger', 'threat_of_serious_harm') }, { withheld: 'no_involvement' }],
  ['break-glass with a too-short justification is ignored', { role: 'social_welfare_centre', purpose: 'emergency_response', categories: ['identity'], breakGlass: claim('imminent_danger', 'threat_of_serious_harm', short) }, { withheld: 'no_involvement' }],
  ['break-glass is not used when an ordinary rule releases', { role: 'social_welfare_centre', purpose: 'emergency_response', categories: ['identity'], involved: true, breakGlass: claim('imminent_danger', 'threat_of_serious_harm') }, { released: 'R01-identity-involved', breakGlass: false }],
  ['break-glass is not for other purposes', { role: 'social_welfare_centre', purpose: 'risk_assessment', categories: ['identity'], breakGlass: claim('imminent_danger', 'threat_of_serious_harm') }, { withheld: 'no_involvement' }],
  ['break-glass under a basis it does not allow', { role: 'social_welfare_centre', purpose: 'emergency_response', categories: ['identity'], breakGlass: claim('duty_to_warn', 'threat_to_identified_third_party') }, { withheld: 'no_involvement' }],
];

function check(decision: Decision, category: DataCategoryName, expected: Expect): void {
  const release = decision.releases.find((r) => r.category === category);
  const withholding = decision.withholdings.find((w) => w.category === category && w.field === undefined);
  if ('released' in expected) {
    expect(withholding).toBeUndefined();
    expect(release?.ruleId).toBe(expected.released);
    if (expected.basis) expect(release?.basis).toBe(expected.basis);
    if (expected.consents !== undefined) expect(release?.consents).toHaveLength(expected.consents);
    if (expected.breakGlass !== undefined) expect(release?.breakGlass).toBe(expected.breakGlass);
    for (const f of expected.fieldsExclude ?? []) expect(release?.fields).not.toContain(f);
    expect(decision.breakGlassUsed).toBe(release?.breakGlass ?? false);
  } else {
    expect(release).toBeUndefined();
    expect(withholding?.reason).toBe(expected.withheld);
    if (expected.rule) expect(withholding?.ruleId).toBe(expected.rule);
    if (expected.wouldPermitIncludes) expect(withholding?.wouldPermit).toContain(expected.wouldPermitIncludes);
    expect(withholding?.explanation.length).toBeGreaterThan(10);
    expect(withholding?.wouldPermit.length).toBeGreaterThan(5);
  }
}

const rows = table;

describe(`decision table (policy ${policy.version})`, () => {
  it('has at least 80 cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(80);
  });

  it.each(rows)('%s', (_name, scenario, expected) => {
    const { request, facts } = requestAndFacts(scenario);
    const decision = decide(policy, request, facts);
    expect(decision.policyVersion).toBe('2026.11.1');
    const [category] = scenario.categories;
    if (!category) throw new Error('a row needs a category');
    check(decision, category, expected);
  });

  it('covers every category', () => {
    const covered = new Set(rows.flatMap(([, s]) => s.categories));
    expect([...covered].sort()).toEqual(Object.keys(policy.categoryFields).sort());
  });

  it('covers every legal basis as a release', () => {
    const bases = new Set<string>();
    for (const [, scenario, expected] of rows) {
      if (!('released' in expected)) continue;
      const { request, facts } = requestAndFacts(scenario);
      for (const r of decide(policy, request, facts).releases) bases.add(r.basis);
    }
    expect([...bases].sort()).toEqual([
      'client_waiver',
      'consent',
      'criminal_case',
      'duty_to_warn',
      'imminent_danger',
      'infectious_disease',
      'legal_reporting_duty',
      'statutory_duty',
      'suicide_risk',
    ]);
  });

  it('covers every prohibition', () => {
    const ids = new Set(rows.map(([, , e]) => ('withheld' in e ? e.rule : undefined)).filter((id) => id?.startsWith('P')));
    expect([...ids].sort()).toEqual(policy.document.prohibitions.map((p) => p.id).sort());
  });
});

describe('outcomes', () => {
  it('is permit when everything asked is released, partial when some, deny when none', () => {
    const base: Scenario = { role: 'social_welfare_centre', purpose: 'case_coordination', categories: ['identity', 'welfare_benefit_status'], involved: true };
    expect(decide(policy, requestAndFacts(base).request, requestAndFacts(base).facts).outcome).toBe('permit');
    const partial = { ...base, categories: ['identity', 'mental_health'] as DataCategoryName[] };
    expect(decide(policy, requestAndFacts(partial).request, requestAndFacts(partial).facts).outcome).toBe('partial');
    const none = { ...base, involved: false };
    expect(decide(policy, requestAndFacts(none).request, requestAndFacts(none).facts).outcome).toBe('deny');
  });

  it('explains a claimed exception by its own rule even when an earlier rule also failed', () => {
    const s: Scenario = { role: 'community_mental_health_centre', purpose: 'emergency_response', categories: ['identity'], claim: claim('infectious_disease', 'notifiable_disease', short) };
    const { withholdings } = decide(policy, requestAndFacts(s).request, requestAndFacts(s).facts);
    expect(withholdings[0]).toMatchObject({ reason: 'justification_missing', ruleId: 'R03-identity-infectious' });
    expect(withholdings[0]?.wouldPermit).toContain('a current involvement with the subject');
  });

  it('never mentions the justification text in an explanation', () => {
    const s: Scenario = { role: 'police_precinct', purpose: 'emergency_response', categories: ['mental_health', 'identity'], claim: claim('duty_to_warn', 'threat_of_serious_harm') };
    const decision = decide(policy, requestAndFacts(s).request, requestAndFacts(s).facts);
    expect(JSON.stringify(decision)).not.toContain(JUSTIFICATION);
  });
});
