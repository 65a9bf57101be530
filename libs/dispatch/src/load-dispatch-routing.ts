import { RISK_LIGHTS, SCREENING_CATEGORIES, type RiskLight, type ScreeningCategory } from '@weave/screening';
import { listItemId, parseValidatedYaml, readRulesText, schemaErrorDetail } from '@weave/rules-file';
import Ajv, { type ErrorObject } from 'ajv';
import {
  DISTRICT_WELFARE_CENTRE,
  SCHOOL_STATUSES,
  type DispatchRoutingDocument,
  type LeadUnitDocument,
  type RouteConditions,
  type RouteDocument,
  type SecondaryRouteDocument,
} from './dispatch-routing-document';
import schema from './dispatch-routing.schema.json';

/** A routing table that cannot serve: every problem is listed, none is guessed around. */
export class DispatchRoutingError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`dispatch routing ${source} rejected:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'DispatchRoutingError';
  }
}

export interface TownshipEntry {
  readonly code: string;
  readonly name: string;
  readonly districtId: string;
  readonly welfareCentre: string;
  readonly policePrecinct?: string;
}

export interface DistrictEntry {
  readonly id: string;
  readonly name: string;
  readonly welfareCentre: string;
  readonly townshipCodes: readonly string[];
}

/** A validated routing table, indexed for route(), dispatchDeadline() and escalationStep(). */
export interface DispatchTable {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly countyCode: string;
  readonly countyName: string;
  /** Role name → unit id. */
  readonly units: Readonly<Record<string, string>>;
  readonly districts: readonly DistrictEntry[];
  readonly townships: ReadonlyMap<string, TownshipEntry>;
  readonly deadlineMinutes: Readonly<Record<RiskLight, number>>;
  readonly graceMinutes: Readonly<Record<RiskLight, number>>;
  /** Unit id of the level above every supervisor. */
  readonly upperLevelUnit: string;
  readonly supervisors: Readonly<Record<string, string>>;
  readonly incidentWindowHours: number;
  /** Category → its merge group. */
  readonly incidentGroup: Readonly<Record<ScreeningCategory, string>>;
  readonly leadUnit: LeadUnitDocument;
  readonly unknownTownship: { readonly id: string; readonly unitId: string; readonly why: string };
  readonly routes: readonly RouteDocument[];
  readonly secondary: readonly SecondaryRouteDocument[];
  readonly document: DispatchRoutingDocument;
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validateSchema = ajv.compile<DispatchRoutingDocument>(schema);
const fail = (source: string, problems: string[]) => new DispatchRoutingError(source, problems);

/** Holds for these facts? (Only category, school status and protection concern.) */
export function routeConditionsHold(when: RouteConditions, category: ScreeningCategory, schoolStatus: string, protectionConcern: boolean): boolean {
  if (when.category && !when.category.includes(category)) return false;
  if (when.school_status && !(when.school_status as readonly string[]).includes(schoolStatus)) return false;
  if (when.protection_concern !== undefined && when.protection_concern !== protectionConcern) return false;
  return true;
}

function targetProblem(doc: DispatchRoutingDocument, where: string, target: string): string | undefined {
  if (target === DISTRICT_WELFARE_CENTRE || Object.hasOwn(doc.units, target)) return undefined;
  return `${where} names unknown role ${target} (one of ${[...Object.keys(doc.units), DISTRICT_WELFARE_CENTRE].join(', ')})`;
}

function geographyProblems(doc: DispatchRoutingDocument): string[] {
  const problems: string[] = [];
  const districtIds = new Set<string>();
  const centres = new Set<string>();
  const codes = new Set<string>();
  for (const d of doc.districts) {
    if (districtIds.has(d.id)) problems.push(`district ${d.id}: listed more than once`);
    districtIds.add(d.id);
    if (centres.has(d.welfare_centre)) problems.push(`district ${d.id}: welfare_centre ${d.welfare_centre} already serves another district`);
    centres.add(d.welfare_centre);
    for (const t of d.townships) {
      if (codes.has(t.code)) problems.push(`district ${d.id}: township ${t.code} (${t.name}) is already in a district`);
      codes.add(t.code);
      if (!t.code.startsWith(doc.county.code)) problems.push(`district ${d.id}: township ${t.code} (${t.name}) is not under county ${doc.county.code}`);
    }
  }
  return problems;
}

function timingProblems(doc: DispatchRoutingDocument): string[] {
  const problems: string[] = [];
  // Graver lights first: each deadline must be no later than the next lighter one.
  for (let i = 0; i + 1 < RISK_LIGHTS.length; i++) {
    const graver = RISK_LIGHTS[i] as RiskLight;
    const lighter = RISK_LIGHTS[i + 1] as RiskLight;
    if (doc.deadlines_hours[graver] > doc.deadlines_hours[lighter]) {
      problems.push(`deadlines_hours.${graver}: ${doc.deadlines_hours[graver]} h is later than ${lighter} (${doc.deadlines_hours[lighter]} h)`);
    }
    if (doc.escalation.grace_minutes[graver] > doc.escalation.grace_minutes[lighter]) {
      problems.push(`escalation.grace_minutes.${graver}: ${doc.escalation.grace_minutes[graver]} min is longer than ${lighter} (${doc.escalation.grace_minutes[lighter]} min)`);
    }
  }
  if (doc.deadlines_hours.red >= doc.deadlines_hours.green) problems.push('deadlines_hours.red: must be sooner than green');
  return problems;
}

function routeProblems(doc: DispatchRoutingDocument): string[] {
  const problems: string[] = [];
  const ids = new Set<string>([doc.lead_unit.id, doc.unknown_township.id]);
  if (doc.lead_unit.id === doc.unknown_township.id) problems.push(`${doc.lead_unit.id}: id used more than once`);
  for (const r of [...doc.routes, ...doc.secondary]) {
    if (ids.has(r.id)) problems.push(`route ${r.id}: id used more than once`);
    ids.add(r.id);
  }
  for (const r of doc.routes) {
    const p = targetProblem(doc, `route ${r.id}: primary`, r.primary);
    if (p) problems.push(p);
  }
  for (const r of doc.secondary) {
    const p = targetProblem(doc, `secondary ${r.id}: add`, r.add);
    if (p) problems.push(p);
  }
  const upper = targetProblem(doc, 'escalation.upper_level', doc.escalation.upper_level);
  if (upper) problems.push(upper);
  if (doc.escalation.upper_level === DISTRICT_WELFARE_CENTRE) problems.push('escalation.upper_level: must be a fixed role, not district_welfare_centre');
  if (!Object.hasOwn(doc.units, doc.unknown_township.unit)) problems.push(`unknown_township.unit names unknown role ${doc.unknown_township.unit}`);
  // Every report must meet a category route: prove it over all the facts routes may look at.
  for (const category of SCREENING_CATEGORIES) {
    for (const school of SCHOOL_STATUSES) {
      for (const concern of [false, true]) {
        if (!doc.routes.some((r) => routeConditionsHold(r.when, category, school, concern))) {
          problems.push(`routes: no route for category ${category} (school_status ${school}, protection_concern ${concern})`);
        }
      }
    }
  }
  // A route that can never be first is a mistake the author would want to hear about.
  for (const [i, r] of doc.routes.entries()) {
    const reachable = SCREENING_CATEGORIES.some((c) =>
      SCHOOL_STATUSES.some((s) => [false, true].some((p) => routeConditionsHold(r.when, c, s, p) && !doc.routes.slice(0, i).some((e) => routeConditionsHold(e.when, c, s, p)))),
    );
    if (!reachable) problems.push(`route ${r.id}: never chosen, earlier routes catch every report it matches`);
  }
  return problems;
}

function mergeProblems(doc: DispatchRoutingDocument): string[] {
  const problems: string[] = [];
  const groupOf = new Map<ScreeningCategory, string>();
  for (const [group, categories] of Object.entries(doc.incident_merge.category_groups)) {
    for (const c of categories) {
      const other = groupOf.get(c);
      if (other !== undefined) problems.push(`incident_merge.category_groups.${group}: ${c} is already in ${other}`);
      else groupOf.set(c, group);
    }
  }
  for (const c of SCREENING_CATEGORIES) if (!groupOf.has(c)) problems.push(`incident_merge.category_groups: ${c} is in no group`);
  return problems;
}

function semanticProblems(doc: DispatchRoutingDocument): string[] {
  const problems: string[] = [];
  if (Number.isNaN(Date.parse(doc.effective_from))) problems.push('effective_from: not a date');
  problems.push(...geographyProblems(doc), ...timingProblems(doc), ...routeProblems(doc), ...mergeProblems(doc));
  for (const [unit, supervisor] of Object.entries(doc.escalation.supervisors ?? {})) {
    if (unit === supervisor) problems.push(`escalation.supervisors.${unit}: a unit cannot supervise itself`);
  }
  return problems;
}

/** "route R11-juvenile-in-school primary (/routes/2/primary) must be string". */
function describeSchemaError(raw: unknown, e: ErrorObject): string {
  const path = e.instancePath || '/';
  const match = /^\/(routes|secondary|districts)\/(\d+)(.*)$/.exec(path);
  const id = match ? listItemId(raw, match[1] ?? '', Number(match[2])) : undefined;
  const kind = match?.[1] === 'routes' ? 'route' : match?.[1] === 'secondary' ? 'secondary' : 'district';
  const where = id && match ? `${kind} ${id}${match[3] ? ` ${(match[3] ?? '').slice(1).replace(/\//g, '.')}` : ''} (${path})` : path;
  return `${where} ${e.message ?? 'is invalid'}${schemaErrorDetail(e)}`;
}

function compile(doc: DispatchRoutingDocument): DispatchTable {
  const townships = new Map<string, TownshipEntry>();
  for (const d of doc.districts) {
    for (const t of d.townships) {
      townships.set(t.code, { code: t.code, name: t.name, districtId: d.id, welfareCentre: d.welfare_centre, ...(t.police_precinct !== undefined && { policePrecinct: t.police_precinct }) });
    }
  }
  const incidentGroup = {} as Record<ScreeningCategory, string>;
  for (const [group, categories] of Object.entries(doc.incident_merge.category_groups)) for (const c of categories) incidentGroup[c] = group;
  const minutes = (h: number): number => Math.round(h * 60);
  return {
    version: doc.version,
    effectiveFrom: doc.effective_from,
    countyCode: doc.county.code,
    countyName: doc.county.name,
    units: doc.units,
    districts: doc.districts.map((d) => ({ id: d.id, name: d.name, welfareCentre: d.welfare_centre, townshipCodes: d.townships.map((t) => t.code) })),
    townships,
    deadlineMinutes: { red: minutes(doc.deadlines_hours.red), orange: minutes(doc.deadlines_hours.orange), yellow: minutes(doc.deadlines_hours.yellow), green: minutes(doc.deadlines_hours.green) },
    graceMinutes: doc.escalation.grace_minutes,
    upperLevelUnit: doc.units[doc.escalation.upper_level] ?? '',
    supervisors: doc.escalation.supervisors ?? {},
    incidentWindowHours: doc.incident_merge.window_hours,
    incidentGroup,
    leadUnit: doc.lead_unit,
    unknownTownship: { id: doc.unknown_township.id, unitId: doc.units[doc.unknown_township.unit] ?? '', why: doc.unknown_township.why },
    routes: doc.routes,
    secondary: doc.secondary,
    document: doc,
  };
}

/** Parses, validates (schema, then meaning) and indexes a routing table; throws DispatchRoutingError. */
export function loadDispatchRouting(text: string, source = 'dispatch-routing'): DispatchTable {
  const raw = parseValidatedYaml(text, source, validateSchema, describeSchemaError, fail);
  const problems = semanticProblems(raw);
  if (problems.length > 0) throw fail(source, problems);
  return compile(raw);
}

/** loadDispatchRouting on a file; an unreadable file is a DispatchRoutingError too. */
export function loadDispatchRoutingFile(path: string): DispatchTable {
  return loadDispatchRouting(readRulesText(path, fail), path);
}

/** Every unit id the table names (roles, welfare centres, precincts, supervisors). */
export function referencedUnits(table: DispatchTable): string[] {
  const ids = new Set<string>(Object.values(table.units));
  for (const d of table.districts) ids.add(d.welfareCentre);
  for (const t of table.townships.values()) if (t.policePrecinct) ids.add(t.policePrecinct);
  for (const [u, s] of Object.entries(table.supervisors)) ids.add(u).add(s);
  return [...ids].sort();
}

/** Unit ids the table names that the unit directory does not know (the CLI checks policies/directory.yaml). */
export function unknownUnits(table: DispatchTable, knownUnitIds: ReadonlySet<string>): string[] {
  return referencedUnits(table).filter((id) => !knownUnitIds.has(id));
}
