import type { ScreeningCategory, VulnerableNeed } from '@weave/screening';
import { DISTRICT_WELFARE_CENTRE, type SchoolStatus, type SecondaryConditions } from './dispatch-routing-document';
import { routeConditionsHold, type DispatchTable } from './load-dispatch-routing';

/** The family's case with a unit, when one is open (開案) or long-term care (長期關懷戶). */
export interface FamilyLeadCase {
  readonly status: 'opened' | 'long-term-care';
  /** The lead unit (主責單位) of that case. */
  readonly leadUnitId: string;
}

export interface RouteInput {
  /** The screened category (after overrides). */
  readonly category: ScreeningCategory;
  readonly townshipCode?: string;
  readonly needs: readonly VulnerableNeed[];
  /** Screening's protection-concern flag (decision.flags). */
  readonly protectionConcern: boolean;
  /** For juvenile reports; absent means unknown. */
  readonly schoolStatus?: SchoolStatus;
  readonly familyCase?: FamilyLeadCase;
}

export interface RoutedUnit {
  readonly unitId: string;
  /** The route, secondary entry or rule (lead unit, unknown township) that chose it. */
  readonly ruleId: string;
  readonly why: string;
}

export interface RouteDecision {
  readonly primary: RoutedUnit;
  /** Collaborating units (協力), in the order the table chose them; never the primary. */
  readonly secondary: readonly RoutedUnit[];
  readonly districtId?: string;
  /** The township's police precinct, for protection work that needs it. */
  readonly policePrecinct?: string;
  readonly tableVersion: string;
}

function secondaryHolds(when: SecondaryConditions, input: RouteInput, school: SchoolStatus): boolean {
  if (!routeConditionsHold(when, input.category, school, input.protectionConcern)) return false;
  if (when.needs_any && !when.needs_any.some((n) => input.needs.includes(n))) return false;
  if (when.has_needs !== undefined && when.has_needs !== input.needs.length > 0) return false;
  return true;
}

/** Who receives a screened report and why (rules/dispatch-routing.<county>.yaml explains the order). */
export function route(input: RouteInput, table: DispatchTable): RouteDecision {
  const school = input.schoolStatus ?? 'unknown';
  const township = input.townshipCode === undefined ? undefined : table.townships.get(input.townshipCode);
  const resolve = (target: string, ruleId: string, why: string): RoutedUnit => {
    if (target !== DISTRICT_WELFARE_CENTRE) return { unitId: table.units[target] ?? target, ruleId, why };
    if (township) return { unitId: township.welfareCentre, ruleId, why };
    return { unitId: table.unknownTownship.unitId, ruleId: `${ruleId}+${table.unknownTownship.id}`, why: `${why} ${table.unknownTownship.why}` };
  };

  // The loader proved some route matches every category, school status and concern.
  const categoryRoute = table.routes.find((r) => routeConditionsHold(r.when, input.category, school, input.protectionConcern));
  if (!categoryRoute) throw new Error(`routing table ${table.version}: no route for ${input.category}`);
  const byCategory = resolve(categoryRoute.primary, categoryRoute.id, categoryRoute.why);

  let primary = byCategory;
  const secondary: RoutedUnit[] = [];
  const lead = table.leadUnit;
  const leadCase = input.familyCase !== undefined && lead.family_case.includes(input.familyCase.status) ? input.familyCase : undefined;
  if (leadCase) {
    const protection = lead.except_categories.includes(input.category);
    if (protection) {
      secondary.push({ unitId: leadCase.leadUnitId, ruleId: lead.id, why: lead.except_why });
    } else {
      primary = { unitId: leadCase.leadUnitId, ruleId: lead.id, why: lead.why };
      secondary.push(byCategory);
    }
  }
  for (const s of table.secondary) if (secondaryHolds(s.when, input, school)) secondary.push(resolve(s.add, s.id, s.why));

  const seen = new Set<string>([primary.unitId]);
  const collaborators = secondary.filter((u) => !seen.has(u.unitId) && seen.add(u.unitId));
  return {
    primary,
    secondary: collaborators,
    ...(township && { districtId: township.districtId }),
    ...(township?.policePrecinct !== undefined && { policePrecinct: township.policePrecinct }),
    tableVersion: table.version,
  };
}
