import type { IntakeReport } from '../reports/intake-report';

/** How one reported person was linked to the master person index. */
export interface PersonLink {
  readonly role: string;
  readonly outcome: 'exact-id' | 'auto-link' | 'review' | 'new';
  /** Undefined while a screener must decide (outcome review). */
  readonly personPseudonym?: string;
  readonly score: number;
  /** Why: per-field agreement, and for review the candidates (pseudonyms and scores only). */
  readonly explanation: readonly string[];
  readonly candidates: readonly { readonly personPseudonym: string; readonly score: number }[];
  /** Features to persist for a person new to the index (no raw national ID). */
  readonly newPerson?: { readonly personPseudonym: string; readonly features: Record<string, unknown> };
}

export interface ReportLinkage {
  readonly persons: readonly PersonLink[];
  /** The family the report is about, once every person is linked. */
  readonly familyPseudonym?: string;
}

export interface Screening {
  readonly category: string;
  readonly light: 'red' | 'orange' | 'yellow' | 'green';
  readonly flags: readonly string[];
  readonly firedRules: readonly { readonly id: string; readonly description: string }[];
  readonly rulesVersion: string;
  readonly detail: unknown;
}

export interface Route {
  readonly primaryUnit: string;
  readonly secondaryUnits: readonly string[];
  readonly district?: string;
  /** The branches that chose each unit, for the record and the screener. */
  readonly explanation: unknown;
}

export interface FamilyStanding {
  readonly caseStatus: 'none' | 'opened' | 'long-term-care';
  readonly leadUnit?: string;
  readonly priorReports: readonly { readonly at: number; readonly category: string }[];
  readonly involvedUnits: ReadonlySet<string>;
}

export interface OpenIncident {
  readonly incidentId: string;
  readonly familyPseudonym: string;
  readonly category: string;
  readonly persons: readonly string[];
  readonly openedAt: number;
}

/**
 * The domain rules intake applies, bound to the pure libraries (linkage, screening,
 * dispatch) by `intake-rules.ts`; the processor only sequences them and stores the result.
 */
export interface IntakeRules {
  /**
   * Links the report's persons. The index learns new persons at once; they are deterministic
   * in the report id, so a batch that fails to store and is redelivered links the same way.
   */
  link(report: IntakeReport): ReportLinkage;
  screen(report: IntakeReport, family: FamilyStanding): Screening;
  sameIncident(report: IntakeReport, screening: Screening, persons: readonly string[], incident: OpenIncident): boolean;
  route(report: IntakeReport, screening: Screening, family: FamilyStanding): Route;
  dispatchDeadline(receivedAt: Date, light: Screening['light']): Date;
  /** How long a report stays mergeable into an earlier incident (the routing table's window). */
  readonly incidentWindowMs: number;
}
