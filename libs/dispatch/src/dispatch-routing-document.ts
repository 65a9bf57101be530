import type { FamilyCaseStatus, RiskLight, ScreeningCategory, VulnerableNeed } from '@weave/screening';

/** A juvenile's schooling, which decides who counsels them (少年偏差行為預防及輔導辦法 §5). */
export const SCHOOL_STATUSES = ['in-school', 'not-in-school', 'dropped-out', 'aged-out', 'unknown'] as const;
export type SchoolStatus = (typeof SCHOOL_STATUSES)[number];

/** Route targets that are not a fixed role: the welfare centre of the report's district. */
export const DISTRICT_WELFARE_CENTRE = 'district_welfare_centre';

/** rules/dispatch-routing.<county>.yaml as written (snake_case), after schema validation. */
export interface DispatchRoutingDocument {
  readonly routing: 'weave-dispatch';
  readonly version: string;
  readonly effective_from: string;
  readonly description?: string;
  readonly county: { readonly code: string; readonly name: string };
  /** Role name → unit id (policies/directory.yaml). */
  readonly units: Readonly<Record<string, string>>;
  readonly districts: readonly DistrictDocument[];
  readonly deadlines_hours: Readonly<Record<RiskLight, number>>;
  readonly escalation: EscalationDocument;
  readonly incident_merge: IncidentMergeDocument;
  readonly lead_unit: LeadUnitDocument;
  readonly unknown_township: { readonly id: string; readonly unit: string; readonly why: string };
  readonly routes: readonly RouteDocument[];
  readonly secondary: readonly SecondaryRouteDocument[];
}

export interface DistrictDocument {
  readonly id: string;
  readonly name: string;
  /** Unit id of the district's social welfare centre (社福中心). */
  readonly welfare_centre: string;
  readonly townships: readonly TownshipDocument[];
}

export interface TownshipDocument {
  /** Official 8-digit code (鄉鎮市區代碼). */
  readonly code: string;
  readonly name: string;
  readonly police_precinct?: string;
}

export interface EscalationDocument {
  /** After a supervisor escalation, how long before going up a level, per light. */
  readonly grace_minutes: Readonly<Record<RiskLight, number>>;
  /** Role name (in units) of the level above every supervisor: the county government. */
  readonly upper_level: string;
  /** Unit id → supervisor unit id; wins over the directory's supervisor field. */
  readonly supervisors?: Readonly<Record<string, string>>;
}

export interface IncidentMergeDocument {
  readonly window_hours: number;
  /** Categories within one group may describe the same incident. */
  readonly category_groups: Readonly<Record<string, readonly ScreeningCategory[]>>;
}

export interface LeadUnitDocument {
  readonly id: string;
  readonly why: string;
  readonly family_case: readonly Exclude<FamilyCaseStatus, 'none'>[];
  /** Categories whose own route stays primary even when the family has a lead unit. */
  readonly except_categories: readonly ScreeningCategory[];
  readonly except_why: string;
}

export interface RouteConditions {
  readonly category?: readonly ScreeningCategory[];
  readonly school_status?: readonly SchoolStatus[];
  readonly protection_concern?: boolean;
}

export interface SecondaryConditions extends RouteConditions {
  readonly needs_any?: readonly VulnerableNeed[];
  readonly has_needs?: boolean;
}

export interface RouteDocument {
  readonly id: string;
  readonly why: string;
  readonly when: RouteConditions;
  /** A role name in units, or district_welfare_centre. */
  readonly primary: string;
}

export interface SecondaryRouteDocument {
  readonly id: string;
  readonly why: string;
  readonly when: SecondaryConditions;
  readonly add: string;
}
