import type { Sex } from './population-types';

/** What a report is about (the category the reporter ticks on 關懷e起來). */
export type ReportCategory =
  | 'child-protection'
  | 'adult-protection'
  | 'elder-protection'
  | 'sexual-assault'
  | 'vulnerable-family'
  | 'juvenile-deviant-behaviour'
  | 'mental-health-crisis'
  | 'suicide-risk';

export const REPORT_CATEGORIES: readonly ReportCategory[] = [
  'child-protection',
  'adult-protection',
  'elder-protection',
  'sexual-assault',
  'vulnerable-family',
  'juvenile-deviant-behaviour',
  'mental-health-crisis',
  'suicide-risk',
];

/** The protection categories (a protection case may be opened). */
export const PROTECTION_CATEGORIES: readonly ReportCategory[] = [
  'child-protection',
  'adult-protection',
  'elder-protection',
  'sexual-assault',
];

/** Who sent the report: responsible reporters' networks, the public, and community eyes. */
export type ReportChannel =
  | 'police'
  | 'school'
  | 'hospital'
  | 'mental-health'
  | 'employment'
  | 'welfare'
  | 'public-online'
  | 'convenience-store'
  | 'village-officer'
  | 'volunteer';

export const REPORT_CHANNELS: readonly ReportChannel[] = [
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
];

export type ReporterType =
  | 'police-officer'
  | 'teacher'
  | 'school-counsellor'
  | 'doctor'
  | 'nurse'
  | 'hospital-social-worker'
  | 'mental-health-social-worker'
  | 'employment-counsellor'
  | 'social-worker'
  | 'village-officer'
  | 'volunteer'
  | 'store-clerk'
  | 'neighbour'
  | 'relative'
  | 'self'
  | 'anonymous';

/** Needs of a vulnerable family (脆弱家庭 need categories). */
export type VulnerableNeed =
  | 'economic'
  | 'care'
  | 'housing'
  | 'unemployment'
  | 'illness'
  | 'family-conflict'
  | 'parenting'
  | 'child-development'
  | 'disability'
  | 'substance-use';

/** A person's part in an event (maps onto weave.common.v1.SubjectRole). */
export type SubjectRoleName = 'victim' | 'alleged-perpetrator' | 'child' | 'reported-person' | 'caregiver';

/** What went wrong with one reported identifier (recorded in the truth). */
export type NoiseKind =
  | 'national-id-missing'
  | 'national-id-typo'
  | 'name-variant'
  | 'name-homophone'
  | 'name-missing-character'
  | 'name-surname-only'
  | 'birth-date-missing'
  | 'birth-date-transposed'
  | 'birth-date-mistyped'
  | 'birth-date-roc-calendar'
  | 'old-address'
  | 'address-missing'
  | 'sex-missing';

/** A person as the reporter described them: any field may be missing or wrong. */
export interface ReportedPerson {
  readonly role: SubjectRoleName;
  readonly name?: string;
  readonly nationalId?: string;
  /** Usually YYYY-MM-DD; sometimes an ROC-calendar date (074/03/12, 74.03.12, 民國74年3月12日). */
  readonly birthDate?: string;
  /** Given when the reporter did not know the birth date ("about 40"). */
  readonly approximateAge?: number;
  readonly sex?: Sex;
  readonly address?: string;
  readonly phone?: string;
}

export interface ReportedPersonTruth {
  readonly personId: string;
  readonly noise: readonly NoiseKind[];
}

/** The answer key: never sent to intake; used to measure linkage. */
export interface ReportTruth {
  /** Reports of the same incident share it (intake should merge them). */
  readonly incidentId: string;
  readonly householdId: string;
  /** Aligned with `IntakeReport.persons`. */
  readonly persons: readonly ReportedPersonTruth[];
  /** 1 for the first report of the incident, 2 and 3 for later reports by other channels. */
  readonly reportOfIncident: number;
}

/** A report to the centralized intake and dispatch centre (集派中心). */
export interface IntakeReport {
  readonly kind: 'report';
  readonly at: Date;
  /** Opaque, unique. */
  readonly reportId: string;
  readonly channel: ReportChannel;
  readonly reporterType: ReporterType;
  /** A responsible reporter (責任通報人員) under the protection acts. */
  readonly responsibleReporter: boolean;
  /** The reporting unit as written (草屯分局, 埔里基督教醫院, …). */
  readonly reporterUnit: string;
  readonly category: ReportCategory;
  /** For vulnerable-family reports (empty otherwise). */
  readonly needs: readonly VulnerableNeed[];
  readonly townshipCode: string;
  readonly persons: readonly ReportedPerson[];
  /** Free text about the people involved (contains names, and sometimes ID and phone numbers). */
  readonly narrative: string;
  readonly truth: ReportTruth;
}

/** A person as an agency's own system holds them (verified identity). */
export interface AgencyPerson {
  readonly personId: string;
  readonly nationalId: string;
  readonly name: string;
  readonly birthDate: string;
  readonly sex: Sex;
  readonly role: SubjectRoleName;
}

interface AgencyEventBase {
  readonly at: Date;
  readonly townshipCode: string;
  /** Social welfare centre district (nantou, caotun, puli, shuili, zhulu for Nantou). */
  readonly districtId: string;
  readonly persons: readonly AgencyPerson[];
  readonly truth: { readonly householdId: string; readonly incidentId?: string };
}

/** Mirrors weave.police.v1.IncidentKind. */
export type PoliceIncidentKind =
  | 'domestic-violence'
  | 'child-abuse-suspected'
  | 'juvenile-deviant-behaviour'
  | 'family-dispute'
  | 'suicide-attempt'
  | 'missing-person'
  | 'sexual-assault'
  | 'other';

export interface PoliceIncidentEvent extends AgencyEventBase {
  readonly kind: 'police-incident';
  /** The police system's own reference. */
  readonly policeRef: string;
  readonly incidentKind: PoliceIncidentKind;
  readonly source: '110-call' | 'patrol' | 'walk-in';
  /** Precinct id suffix (nantou-police-<precinct>). */
  readonly precinct: string;
  readonly childrenPresent: boolean;
  readonly weaponInvolved: boolean;
}

export type WelfareScheme = 'low-income' | 'middle-low-income' | 'emergency-relief' | 'special-circumstances-family';

export interface WelfareAssistanceEvent extends AgencyEventBase {
  readonly kind: 'welfare-assistance';
  readonly action: 'granted' | 'ended';
  readonly scheme: WelfareScheme;
  readonly caseRef: string;
  /** NT$ for a one-off grant (emergency relief), monthly otherwise. */
  readonly amount: number;
}

export interface WelfareVisitEvent extends AgencyEventBase {
  readonly kind: 'welfare-visit';
  readonly visitRef: string;
  readonly visitType: 'home-visit' | 'phone' | 'office' | 'co-visit';
  readonly needs: readonly VulnerableNeed[];
}

export type ProtectionCaseType = 'child' | 'adult' | 'elder' | 'sexual-assault';

export interface ProtectionCaseEvent extends AgencyEventBase {
  readonly kind: 'protection-case';
  readonly action: 'opened' | 'closed' | 'co-case';
  readonly caseRef: string;
  readonly caseType: ProtectionCaseType;
  /** For co-case (共案共訪): the network working the family together with protection. */
  readonly partner?: 'welfare' | 'mental-health' | 'education';
}

export interface MentalHealthEvent extends AgencyEventBase {
  readonly kind: 'mental-health';
  readonly action: 'suicide-attempt-reported' | 'community-case-opened' | 'community-case-closed';
  readonly caseRef: string;
}

export interface EducationEvent extends AgencyEventBase {
  readonly kind: 'education';
  readonly action: 'attendance-drop' | 'dropout' | 'counselling-tier-changed' | 'student-of-concern';
  readonly studentRef: string;
  readonly school: string;
  /** 1-12 */
  readonly grade: number;
  /** Three-tier counselling (三級輔導): 1 developmental, 2 intervention, 3 treatment. */
  readonly counsellingTier: 1 | 2 | 3;
  readonly previousCounsellingTier?: 1 | 2 | 3;
}

export type DisadvantagedGroup =
  | 'second-career-women'
  | 'new-immigrant'
  | 'middle-aged-elderly'
  | 'indigenous'
  | 'low-income'
  | 'single-parent'
  | 'youth';

export interface EmploymentEvent extends AgencyEventBase {
  readonly kind: 'employment';
  readonly action: 'job-seeker-registered' | 'disadvantaged-group-service' | 'youth-employment-service';
  readonly registrationRef: string;
  readonly group?: DisadvantagedGroup;
}

export type AgencyEvent =
  | PoliceIncidentEvent
  | WelfareAssistanceEvent
  | WelfareVisitEvent
  | ProtectionCaseEvent
  | MentalHealthEvent
  | EducationEvent
  | EmploymentEvent;

export type SimulatedEvent = IntakeReport | AgencyEvent;

export type EventKind = SimulatedEvent['kind'];

export const EVENT_KINDS: readonly EventKind[] = [
  'report',
  'police-incident',
  'welfare-assistance',
  'welfare-visit',
  'protection-case',
  'mental-health',
  'education',
  'employment',
];
