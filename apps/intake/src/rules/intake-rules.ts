import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dispatchDeadline, escalationStep, loadDispatchRoutingFile, route, sameIncident, type DispatchTable, type SchoolStatus } from '@weave/dispatch';
import { PseudonymKey } from '@weave/identity';
import { FamilyIndex, LinkageKeys, PersonIndex, type RegistryPerson, type ReportedPersonInput } from '@weave/linkage';
import {
  applyOverride,
  loadScreeningRulesFile,
  narrativeIndicators,
  screen,
  type PersonRole,
  type ReportChannel,
  type ReporterType,
  type ScreeningCategory,
  type ScreeningDecision,
  type ScreeningRules,
  type VulnerableNeed,
} from '@weave/screening';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { parse as parseYaml } from 'yaml';
import type { DeskRules } from '../dispatch/dispatch-desk';
import { stripUndefined, type IntakeReport } from '../reports/intake-report';
import type { FamilyStanding, IntakeRules, PersonLink, ReportLinkage, Route, Screening } from '../processing/intake-decisions';

export interface IntakeRulesConfig {
  readonly pseudonymKey: Buffer;
  readonly screeningRulesFile: string;
  readonly routingTableFile: string;
  readonly directoryFile: string;
  readonly registryFile?: string;
}

export interface LoadedIntakeRules {
  readonly intake: IntakeRules;
  readonly desk: DeskRules;
  readonly personIndex: PersonIndex;
}

const SCREENING_ROLES = new Set(['victim', 'alleged-perpetrator', 'child', 'reported-person', 'caregiver']);

/**
 * Binds intake's processing to the pure domain libraries and the county's rule files
 * (validated at load: a bad file stops the boot naming the file and the field), and builds
 * the master person index from the registry snapshot and the persons reports introduced.
 */
export async function loadIntakeRules(config: IntakeRulesConfig, pool: Pool, schema: string, logger: Logger): Promise<LoadedIntakeRules> {
  const screening = loadScreeningRulesFile(config.screeningRulesFile);
  const table = loadDispatchRoutingFile(config.routingTableFile);
  const supervisors = directorySupervisors(config.directoryFile);
  const keys = new LinkageKeys(new PseudonymKey(config.pseudonymKey));
  const index = new PersonIndex(keys, { expectedSize: 1 << 16 });
  const families = new FamilyIndex(keys);

  let registry = 0;
  if (config.registryFile) {
    registry = await loadRegistry(config.registryFile, index, families);
  }
  // Persons that reports introduced (no registry entry), re-added under the reference that
  // made their pseudonym, then the families reports formed, replayed in order: linkage is
  // deterministic, so the same pseudonyms come back.
  const { rows } = await pool.query<{ person_pseudonym: string; features: ReportedPersonInput & { reference: string } }>(
    `SELECT person_pseudonym, features FROM ${schema}.persons ORDER BY created_at, person_pseudonym`,
  );
  let drifted = 0;
  for (const row of rows) {
    const { reference, ...features } = row.features;
    const restored = index.link(features, { reference, addIfNew: true });
    if (restored.personPseudonym !== row.person_pseudonym) drifted += 1;
  }
  const reports = await pool.query<{ report_id: string; linkage: { role: string; person: string | null }[] }>(
    `SELECT report_id, linkage FROM ${schema}.reports WHERE family_pseudonym IS NOT NULL ORDER BY decided_at, report_id`,
  );
  for (const r of reports.rows) {
    const persons = r.linkage.filter((p) => p.person !== null).map((p) => ({ role: p.role, personPseudonym: p.person as string }));
    families.linkTogether(familyMembers(persons), r.report_id);
  }
  if (drifted > 0) logger.warn({ drifted }, 'person index: some report-introduced persons linked elsewhere on restore');
  logger.info({ registryPersons: registry, reportPersons: rows.length, screeningRules: screening.version, routingTable: table.version }, 'intake rules and person index loaded');

  const intake: IntakeRules = {
    link: (report) => link(report, index, families),
    screen: (report, family) => toScreening(screenReport(report, family, screening)),
    sameIncident: (report, s, persons, incident) =>
      sameIncident(
        { reportId: report.reportId, familyId: incident.familyPseudonym, personIds: persons, category: s.category as ScreeningCategory, receivedAt: report.receivedAt.getTime() },
        { reportId: incident.incidentId, familyId: incident.familyPseudonym, personIds: incident.persons, category: incident.category as ScreeningCategory, receivedAt: incident.openedAt },
        table,
      ),
    route: (report, s, family) => routeReport(report, s, family, table),
    dispatchDeadline: (receivedAt, light) => new Date(dispatchDeadline(receivedAt.getTime(), light, table)),
    incidentWindowMs: table.incidentWindowHours * 3_600_000,
  };
  const desk: DeskRules = {
    escalation: (d, now) => {
      const step = escalationStep({ unitId: d.unitId, urgency: d.light, receivedAt: d.receivedAt.getTime(), escalations: d.escalations }, now.getTime(), table, supervisors);
      const nextCheckAt = step.nextCheckAt === undefined ? undefined : new Date(step.nextCheckAt);
      return step.kind === 'none' ? { level: 'none', ...(nextCheckAt ? { nextCheckAt } : {}) } : { level: step.level, to: step.to, why: step.why, ...(nextCheckAt ? { nextCheckAt } : {}) };
    },
    override: (stored, request, now) => {
      const decision = (stored as { detail?: ScreeningDecision }).detail;
      if (!decision) return { ok: false, errors: [{ field: '(report)', message: 'the report has no screening decision to override' }] };
      const r = (typeof request === 'object' && request !== null ? request : {}) as Record<string, unknown>;
      const result = applyOverride(decision, {
        ...(typeof r['category'] === 'string' ? { category: r['category'] } : {}),
        ...(typeof r['urgency'] === 'string' ? { urgency: r['urgency'] } : {}),
        reason: typeof r['reason'] === 'string' ? r['reason'] : '',
        justification: typeof r['justification'] === 'string' ? r['justification'] : '',
        screenerUnitId: typeof r['screenerUnitId'] === 'string' ? r['screenerUnitId'] : '',
        screenerId: typeof r['screenerId'] === 'string' ? r['screenerId'] : '',
        at: now.getTime(),
      });
      if (!result.ok) return { ok: false, errors: result.errors.map((e) => ({ field: e.field, message: e.message })) };
      const s = toScreening(result.decision);
      const last = result.decision.overrides[result.decision.overrides.length - 1];
      return { ok: true, category: s.category, light: s.light, screening: { firedRules: s.firedRules, rulesVersion: s.rulesVersion, flags: s.flags, detail: result.decision }, reason: last?.reason ?? '', screener: `${last?.screenerUnitId ?? ''}/${last?.screenerId ?? ''}` };
    },
    dispatchDeadline: (receivedAt, light) => new Date(dispatchDeadline(receivedAt.getTime(), light, table)),
  };
  return { intake, desk, personIndex: index };
}

function link(report: IntakeReport, index: PersonIndex, families: FamilyIndex): ReportLinkage {
  const toLink = report.persons.map((p, i) => ({ p, i })).filter(({ p }) => !p.pseudonym);
  const decisions = index.linkReport({
    reportId: report.reportId,
    townshipCode: report.townshipCode,
    at: report.receivedAt,
    persons: toLink.map(({ p }) => stripUndefined({ name: p.name, nationalId: p.nationalId, birthDate: p.birthDate, approximateAge: p.approximateAge, sex: p.sex === 'male' ? 'M' : p.sex === 'female' ? 'F' : undefined, address: p.address })),
  });
  const links: PersonLink[] = report.persons.map((p) =>
    p.pseudonym ? { role: p.role, outcome: 'exact-id', personPseudonym: p.pseudonym, score: 0, explanation: ['pseudonym given by the reporting agency'], candidates: [] } : { role: p.role, outcome: 'new', score: 0, explanation: [], candidates: [] },
  );
  toLink.forEach(({ p, i }, j) => {
    const d = decisions[j];
    if (!d) return;
    const isNew = d.outcome === 'new';
    links[i] = {
      role: p.role,
      outcome: d.outcome,
      ...(d.outcome === 'review' || d.personPseudonym === undefined ? {} : { personPseudonym: d.personPseudonym }),
      score: d.score,
      explanation: [d.reason, ...d.candidates.slice(0, 1).map((c) => c.explanation)],
      candidates: d.candidates.map((c) => ({ personPseudonym: c.personPseudonym, score: Math.round(c.score * 100) / 100 })),
      ...(isNew && d.personPseudonym
        ? { newPerson: { personPseudonym: d.personPseudonym, features: stripUndefined({ reference: `${report.reportId}#${j}`, name: p.name, birthDate: p.birthDate, approximateAge: p.approximateAge, sex: p.sex === 'male' ? 'M' : p.sex === 'female' ? 'F' : undefined, address: p.address, townshipCode: report.townshipCode }) } }
        : {}),
    };
  });
  if (links.some((l) => l.personPseudonym === undefined)) return { persons: links };
  const family = families.linkTogether(familyMembers(links.map((l) => ({ role: l.role, personPseudonym: l.personPseudonym as string }))), report.reportId);
  return { persons: links, familyPseudonym: family.familyPseudonym };
}

/** The alleged perpetrator of a family's violence is not made family by being reported with it. */
function familyMembers(persons: readonly { role: string; personPseudonym: string }[]): string[] {
  const members = persons.filter((p) => p.role !== 'alleged-perpetrator').map((p) => p.personPseudonym);
  return members.length > 0 ? members : persons.map((p) => p.personPseudonym);
}

function screenReport(report: IntakeReport, family: FamilyStanding, rules: ScreeningRules): ScreeningDecision {
  return screen(
    {
      reportedCategory: report.category as ScreeningCategory,
      channel: report.channel as ReportChannel,
      reporterType: report.reporterType as ReporterType,
      responsibleReporter: report.responsibleReporter,
      needs: report.needs as VulnerableNeed[],
      persons: report.persons.filter((p) => SCREENING_ROLES.has(p.role)).map((p) => stripUndefined({ role: p.role as PersonRole, age: ageOf(p.birthDate, p.approximateAge, report.receivedAt) })),
      indicators: narrativeIndicators(report.narrative, rules),
      receivedAt: report.receivedAt.getTime(),
      priorReports: family.priorReports.map((r) => ({ at: r.at, category: r.category as ScreeningCategory })),
      familyCase: family.caseStatus,
    },
    rules,
  );
}

function toScreening(d: ScreeningDecision): Screening {
  return { category: d.category, light: d.urgency, flags: d.flags, firedRules: d.firedRules.map((r) => ({ id: r.id, description: r.description })), rulesVersion: d.rulesVersion, detail: d };
}

function routeReport(report: IntakeReport, s: Screening, family: FamilyStanding, table: DispatchTable): Route {
  const decision = route(
    {
      category: s.category as ScreeningCategory,
      townshipCode: report.townshipCode,
      needs: ((s.detail as ScreeningDecision).needs ?? []) as VulnerableNeed[],
      protectionConcern: s.flags.includes('protection-concern'),
      ...(report.schoolStatus ? { schoolStatus: report.schoolStatus as SchoolStatus } : {}),
      ...(family.caseStatus !== 'none' && family.leadUnit ? { familyCase: { status: family.caseStatus, leadUnitId: family.leadUnit } } : {}),
    },
    table,
  );
  return {
    primaryUnit: decision.primary.unitId,
    secondaryUnits: decision.secondary.map((u) => u.unitId),
    ...(decision.districtId ? { district: decision.districtId } : {}),
    explanation: { primary: decision.primary, secondary: decision.secondary, tableVersion: decision.tableVersion },
  };
}

function ageOf(birthDate: string | undefined, approximate: number | undefined, on: Date): number | undefined {
  const m = birthDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate) : null;
  if (m) {
    const years = on.getUTCFullYear() - Number(m[1]);
    const beforeBirthday = on.getUTCMonth() + 1 < Number(m[2]) || (on.getUTCMonth() + 1 === Number(m[2]) && on.getUTCDate() < Number(m[3]));
    return years - (beforeBirthday ? 1 : 0);
  }
  return approximate;
}

function directorySupervisors(path: string): Record<string, string> {
  if (!existsSync(path)) throw new Error(`INTAKE_DIRECTORY_FILE: ${path} does not exist`);
  const doc = parseYaml(readFileSync(path, 'utf8')) as { units?: { id?: string; supervisor?: string }[] };
  const map: Record<string, string> = {};
  for (const u of doc.units ?? []) if (u.id && u.supervisor) map[u.id] = u.supervisor;
  return map;
}

/** The household registry snapshot (戶籍), JSON lines of RegistryPerson; read at boot, never stored. */
async function loadRegistry(path: string, index: PersonIndex, families: FamilyIndex): Promise<number> {
  const households = new Map<string, string[]>();
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(path) })) {
    if (line.trim() === '') continue;
    const person = JSON.parse(line) as RegistryPerson;
    const pseudonym = index.add(person);
    households.set(person.householdId, [...(households.get(person.householdId) ?? []), pseudonym]);
    n += 1;
  }
  for (const [household, members] of households) families.addHousehold(household, members);
  return n;
}
