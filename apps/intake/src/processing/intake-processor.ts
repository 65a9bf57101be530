import { randomUUID } from 'node:crypto';
import {
  Agency,
  EventTypes,
  IntakeCoInvolvementDetectedEvent,
  IntakeReportDispatchedEvent,
  SubjectRole,
  Topics,
  createEnvelope,
  eventIdFor,
  type EventEnvelope,
} from '@weave/contracts';
import { enqueueOutboxMessages, inTransaction, type OutboxMessage } from '@weave/runtime';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { IntakeReport } from '../reports/intake-report';
import type { FamilyStanding, IntakeRules, OpenIncident, ReportLinkage, Route, Screening } from './intake-decisions';
import type { IntakeMetrics } from './intake-metrics';

export type ReportOutcome =
  | { readonly reportId: string; readonly status: 'dispatched'; readonly dispatchId: string; readonly unitId: string; readonly secondaryUnits: readonly string[]; readonly deadline: Date; readonly light: string; readonly category: string }
  | { readonly reportId: string; readonly status: 'merged'; readonly incidentId: string; readonly dispatchId: string }
  | { readonly reportId: string; readonly status: 'review'; readonly reviewId: string }
  | { readonly reportId: string; readonly status: 'duplicate' };

/** Prior reports screening looks back on (the rules file has its own, shorter window). */
const PRIOR_REPORT_MEMORY_MS = 365 * 24 * 3_600_000;

interface FamilyMemory {
  caseStatus: FamilyStanding['caseStatus'];
  leadUnit?: string;
  priorReports: { at: number; category: string }[];
  involvedUnits: Set<string>;
  incidents: OpenIncident[];
}

const ROLE: Record<string, SubjectRole> = {
  victim: SubjectRole.SUBJECT_ROLE_VICTIM,
  'alleged-perpetrator': SubjectRole.SUBJECT_ROLE_ALLEGED_PERPETRATOR,
  child: SubjectRole.SUBJECT_ROLE_CHILD,
  caregiver: SubjectRole.SUBJECT_ROLE_CAREGIVER,
  'reported-person': SubjectRole.SUBJECT_ROLE_REPORTED_PERSON,
  'household-member': SubjectRole.SUBJECT_ROLE_HOUSEHOLD_MEMBER,
  witness: SubjectRole.SUBJECT_ROLE_WITNESS,
};

/**
 * Links, screens, merges and dispatches reports a batch at a time, and stores every outcome
 * with its events in one transaction (outbox): a batch is either wholly recorded, with its
 * dispatch events queued, or not at all and redelivered. A report id seen before is a
 * duplicate, never dispatched twice. Batches run one at a time: linkage and incident
 * merging read and change the in-memory indexes.
 */
export class IntakeProcessor {
  private readonly families = new Map<string, FamilyMemory>();
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly rules: IntakeRules,
    private readonly unitId: string,
    private readonly metrics: IntakeMetrics,
    private readonly logger: Logger,
  ) {}

  /** Rebuilds what the rules need from the store: families' standing, open incidents. */
  async load(now = new Date()): Promise<void> {
    const since = new Date(now.getTime() - PRIOR_REPORT_MEMORY_MS);
    const reports = await this.pool.query<{ family_pseudonym: string; category: string; received_at: Date }>(
      `SELECT family_pseudonym, category, received_at FROM ${this.schema}.reports WHERE family_pseudonym IS NOT NULL AND category IS NOT NULL AND received_at >= $1`,
      [since],
    );
    for (const r of reports.rows) this.family(r.family_pseudonym).priorReports.push({ at: r.received_at.getTime(), category: r.category });
    const incidents = await this.pool.query<{ incident_id: string; family_pseudonym: string; category: string; persons: string[]; opened_at: Date }>(
      `SELECT incident_id, family_pseudonym, category, persons, opened_at FROM ${this.schema}.incidents WHERE opened_at >= $1`,
      [new Date(now.getTime() - this.rules.incidentWindowMs)],
    );
    for (const i of incidents.rows) {
      this.family(i.family_pseudonym).incidents.push({ incidentId: i.incident_id, familyPseudonym: i.family_pseudonym, category: i.category, persons: i.persons, openedAt: i.opened_at.getTime() });
    }
    const units = await this.pool.query<{ family_pseudonym: string; unit_id: string }>(
      `SELECT DISTINCT r.family_pseudonym, d.unit_id FROM ${this.schema}.dispatches d JOIN ${this.schema}.reports r ON r.report_id = d.report_id WHERE r.family_pseudonym IS NOT NULL`,
    );
    for (const u of units.rows) this.family(u.family_pseudonym).involvedUnits.add(u.unit_id);
    const cases = await this.pool.query<{ family_pseudonym: string; unit_id: string; status: string }>(
      `SELECT family_pseudonym, unit_id, status FROM ${this.schema}.case_status WHERE status IN ('opened', 'long-term-care')`,
    );
    for (const c of cases.rows) {
      const f = this.family(c.family_pseudonym);
      f.caseStatus = c.status as FamilyStanding['caseStatus'];
      f.leadUnit = c.unit_id;
    }
    this.logger.info({ families: this.families.size, openIncidents: incidents.rowCount }, 'intake state loaded');
  }

  /** Processes reports in order; resolves with one outcome each once they are stored. */
  process(reports: readonly IntakeReport[]): Promise<ReportOutcome[]> {
    const run = this.tail.then(() => this.processNow(reports));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async processNow(reports: readonly IntakeReport[]): Promise<ReportOutcome[]> {
    const known = await this.knownReports(reports);
    const outcomes: ReportOutcome[] = [];
    const writes = new BatchWrites();
    const seen = new Set<string>();
    // Families' standing as this batch changes it; kept only once the batch is stored.
    const pendingFamily = new Map<string, FamilyMemory>();
    const familyOf = (pseudonym: string): FamilyMemory => {
      let f = pendingFamily.get(pseudonym);
      if (!f) {
        const current = this.families.get(pseudonym);
        f = current
          ? { caseStatus: current.caseStatus, ...(current.leadUnit ? { leadUnit: current.leadUnit } : {}), priorReports: [...current.priorReports], involvedUnits: new Set(current.involvedUnits), incidents: [...current.incidents] }
          : { caseStatus: 'none', priorReports: [], involvedUnits: new Set(), incidents: [] };
        pendingFamily.set(pseudonym, f);
      }
      return f;
    };

    for (const report of reports) {
      if (known.has(report.reportId) || seen.has(report.reportId)) {
        outcomes.push({ reportId: report.reportId, status: 'duplicate' });
        continue;
      }
      seen.add(report.reportId);
      const linkage = this.rules.link(report);
      writes.persons(report, linkage);
      const family = linkage.familyPseudonym;
      if (family === undefined || linkage.persons.some((p) => p.personPseudonym === undefined)) {
        const reviewId = randomUUID();
        writes.review(report, reviewId, linkage);
        outcomes.push({ reportId: report.reportId, status: 'review', reviewId });
        continue;
      }
      const memory = familyOf(family);
      const standing: FamilyStanding = { caseStatus: memory.caseStatus, ...(memory.leadUnit ? { leadUnit: memory.leadUnit } : {}), priorReports: memory.priorReports, involvedUnits: memory.involvedUnits };
      const screening = this.rules.screen(report, standing);
      const persons = linkage.persons.map((p) => p.personPseudonym as string);
      memory.priorReports.push({ at: report.receivedAt.getTime(), category: screening.category });

      const receivedMs = report.receivedAt.getTime();
      const incident = memory.incidents.find((i) => this.rules.sameIncident(report, screening, persons, i));
      if (incident) {
        const dispatchId = dispatchIdOf(incident.incidentId);
        writes.merged(report, family, incident.incidentId, screening, linkage);
        outcomes.push({ reportId: report.reportId, status: 'merged', incidentId: incident.incidentId, dispatchId });
        continue;
      }

      const route = this.rules.route(report, screening, standing);
      const incidentId = `inc-${report.reportId}`;
      const dispatchId = dispatchIdOf(incidentId);
      const deadline = this.rules.dispatchDeadline(report.receivedAt, screening.light);
      const newIncident: OpenIncident = { incidentId, familyPseudonym: family, category: screening.category, persons, openedAt: receivedMs };
      memory.incidents.push(newIncident);
      const units = [route.primaryUnit, ...route.secondaryUnits];
      const earlierUnits = [...memory.involvedUnits];
      for (const u of units) memory.involvedUnits.add(u);
      writes.dispatched(report, family, newIncident, dispatchId, screening, route, linkage, deadline);
      for (const unit of units) writes.event(Topics.IntakeDispatches, family, this.dispatchedEnvelope(report, unit, dispatchId, family, linkage, deadline));
      const newcomers = units.filter((u) => !earlierUnits.includes(u));
      if (earlierUnits.length > 0 && newcomers.length > 0) {
        for (const newUnit of newcomers) {
          writes.event(Topics.IntakeIngress, family, this.coInvolvementEnvelope(report, family, [...memory.involvedUnits], newUnit, linkage));
        }
      }
      outcomes.push({ reportId: report.reportId, status: 'dispatched', dispatchId, unitId: route.primaryUnit, secondaryUnits: route.secondaryUnits, deadline, light: screening.light, category: screening.category });
    }

    await inTransaction(this.pool, (client) => writes.flush(client, this.schema));
    const forgetBefore = Date.now() - PRIOR_REPORT_MEMORY_MS;
    for (const [pseudonym, memory] of pendingFamily) {
      memory.priorReports = memory.priorReports.filter((r) => r.at >= forgetBefore);
      memory.incidents = memory.incidents.filter((i) => i.openedAt >= Date.now() - this.rules.incidentWindowMs);
      this.families.set(pseudonym, memory);
    }
    this.metrics.recordOutcomes(reports, outcomes);
    return outcomes;
  }

  /** A report arrived but is invalid: stored raw with the reasons, so nothing is lost. */
  async reject(reportId: string, channel: string, raw: unknown, errors: readonly { field: string; message: string }[], receivedAt: Date, sourceEventId?: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.reports (report_id, source_event_id, channel, received_at, status, raw, rejection)
       VALUES ($1, $2, $3, $4, 'rejected', $5, $6) ON CONFLICT DO NOTHING`,
      [reportId, sourceEventId ?? null, channel, receivedAt, JSON.stringify(raw ?? null), JSON.stringify(errors)],
    );
    this.metrics.recordRejected(channel);
  }

  private family(pseudonym: string): FamilyMemory {
    let f = this.families.get(pseudonym);
    if (!f) {
      f = { caseStatus: 'none', priorReports: [], involvedUnits: new Set(), incidents: [] };
      this.families.set(pseudonym, f);
    }
    return f;
  }

  private async knownReports(reports: readonly IntakeReport[]): Promise<Set<string>> {
    const { rows } = await this.pool.query<{ report_id: string }>(`SELECT report_id FROM ${this.schema}.reports WHERE report_id = ANY($1::text[])`, [reports.map((r) => r.reportId)]);
    return new Set(rows.map((r) => r.report_id));
  }


  private dispatchedEnvelope(report: IntakeReport, unit: string, dispatchId: string, family: string, linkage: ReportLinkage, deadline: Date): EventEnvelope {
    const subjects = subjectsOf(linkage);
    return createEnvelope({
      definition: IntakeReportDispatchedEvent,
      eventId: eventIdFor('weave-intake-dispatch', `${dispatchId}|${unit}`),
      source: { agency: Agency.AGENCY_WEAVE, system: 'intake', unitId: this.unitId },
      occurredAt: report.receivedAt,
      subjects,
      payload: {
        reportId: report.reportId,
        dispatchId,
        unitId: unit,
        familyPseudonym: family,
        subjects,
        dispatchedAt: new Date().toISOString(),
        deadline: deadline.toISOString(),
        // Need-to-know from a dispatch lasts 30 days unless a case follows (casework takes over).
        involvementUntil: new Date(report.receivedAt.getTime() + 30 * 24 * 3_600_000).toISOString(),
      },
    });
  }

  private coInvolvementEnvelope(report: IntakeReport, family: string, units: readonly string[], newUnit: string, linkage: ReportLinkage): EventEnvelope {
    return createEnvelope({
      definition: IntakeCoInvolvementDetectedEvent,
      eventId: eventIdFor('weave-intake-co-involvement', `${report.reportId}|${newUnit}`),
      source: { agency: Agency.AGENCY_WEAVE, system: 'intake', unitId: this.unitId },
      occurredAt: report.receivedAt,
      subjects: subjectsOf(linkage),
      payload: { familyPseudonym: family, unitIds: [...units].sort(), newUnitId: newUnit, reportId: report.reportId, detectedAt: new Date().toISOString() },
    });
  }
}

export function dispatchIdOf(incidentId: string): string {
  return eventIdFor('weave-intake-dispatch-id', incidentId);
}

function subjectsOf(linkage: ReportLinkage): { pseudonym: string; role: SubjectRole }[] {
  const seen = new Set<string>();
  const subjects: { pseudonym: string; role: SubjectRole }[] = [];
  for (const p of linkage.persons) {
    if (!p.personPseudonym || seen.has(p.personPseudonym)) continue;
    seen.add(p.personPseudonym);
    subjects.push({ pseudonym: p.personPseudonym, role: ROLE[p.role] ?? SubjectRole.SUBJECT_ROLE_REPORTED_PERSON });
  }
  return subjects;
}

function linkageRecord(linkage: ReportLinkage): unknown {
  return linkage.persons.map((p) => ({ role: p.role, outcome: p.outcome, person: p.personPseudonym ?? null, score: Math.round(p.score * 100) / 100, explanation: p.explanation }));
}

/** Rows of one batch, written with one multi-row statement per table. */
class BatchWrites {
  private readonly reportRows: unknown[][] = [];
  private readonly personRows: unknown[][] = [];
  private readonly incidentRows: unknown[][] = [];
  private readonly mergedIncidents: string[] = [];
  private readonly dispatchRows: unknown[][] = [];
  private readonly reviewRows: unknown[][] = [];
  private readonly outbox: OutboxMessage[] = [];
  private readonly newPersons = new Set<string>();

  persons(report: IntakeReport, linkage: ReportLinkage): void {
    for (const p of linkage.persons) {
      if (!p.newPerson || this.newPersons.has(p.newPerson.personPseudonym)) continue;
      this.newPersons.add(p.newPerson.personPseudonym);
      this.personRows.push([p.newPerson.personPseudonym, linkage.familyPseudonym ?? null, JSON.stringify(p.newPerson.features), report.reportId]);
    }
  }

  review(report: IntakeReport, reviewId: string, linkage: ReportLinkage): void {
    this.report(report, 'review', undefined, undefined, undefined, linkage);
    this.reviewRows.push([
      reviewId,
      report.reportId,
      'linkage-uncertain',
      JSON.stringify(linkage.persons.filter((p) => p.outcome === 'review').map((p) => ({ role: p.role, candidates: p.candidates, explanation: p.explanation }))),
      report.receivedAt,
    ]);
  }

  merged(report: IntakeReport, family: string, incidentId: string, screening: Screening, linkage: ReportLinkage): void {
    this.report(report, 'merged', family, incidentId, screening, linkage);
    this.mergedIncidents.push(incidentId);
  }

  dispatched(report: IntakeReport, family: string, incident: OpenIncident, dispatchId: string, screening: Screening, route: Route, linkage: ReportLinkage, deadline: Date): void {
    this.report(report, 'dispatched', family, incident.incidentId, screening, linkage);
    this.incidentRows.push([incident.incidentId, family, screening.category, report.reportId, incident.persons, report.receivedAt]);
    this.dispatchRows.push([
      dispatchId,
      incident.incidentId,
      report.reportId,
      route.primaryUnit,
      route.secondaryUnits,
      screening.category,
      screening.light,
      route.district ?? null,
      report.channel,
      JSON.stringify(route.explanation ?? null),
      report.receivedAt,
      new Date(),
      deadline,
      // First looked at for escalation when the deadline passes.
      deadline,
    ]);
  }

  event(topic: string, key: string, envelope: EventEnvelope): void {
    this.outbox.push({ topic, key, envelope });
  }

  private report(report: IntakeReport, status: string, family: string | undefined, incidentId: string | undefined, screening: Screening | undefined, linkage: ReportLinkage): void {
    this.reportRows.push([
      report.reportId,
      report.sourceEventId ?? null,
      report.channel,
      report.receivedAt,
      status,
      JSON.stringify(rawOf(report)),
      report.townshipCode,
      family ?? null,
      incidentId ?? null,
      screening?.category ?? null,
      screening?.light ?? null,
      screening ? JSON.stringify({ firedRules: screening.firedRules, rulesVersion: screening.rulesVersion, flags: screening.flags, detail: screening.detail }) : null,
      JSON.stringify(linkageRecord(linkage)),
      new Date(),
    ]);
  }

  async flush(client: PoolClient, schema: string): Promise<void> {
    await insertRows(client, `${schema}.reports`, ['report_id', 'source_event_id', 'channel', 'received_at', 'status', 'raw', 'township_code', 'family_pseudonym', 'incident_id', 'category', 'light', 'screening', 'linkage', 'decided_at'], this.reportRows);
    await insertRows(client, `${schema}.persons`, ['person_pseudonym', 'family_pseudonym', 'features', 'first_report_id'], this.personRows, 'ON CONFLICT DO NOTHING');
    await insertRows(client, `${schema}.incidents`, ['incident_id', 'family_pseudonym', 'category', 'first_report_id', 'persons', 'opened_at'], this.incidentRows);
    await insertRows(
      client,
      `${schema}.dispatches`,
      ['dispatch_id', 'incident_id', 'report_id', 'unit_id', 'secondary_units', 'category', 'light', 'district', 'channel', 'route', 'received_at', 'dispatched_at', 'deadline', 'next_check_at'],
      this.dispatchRows,
    );
    await insertRows(client, `${schema}.review_items`, ['review_id', 'report_id', 'reason', 'candidates', 'created_at'], this.reviewRows);
    if (this.mergedIncidents.length > 0) {
      await client.query(`UPDATE ${schema}.incidents i SET report_count = i.report_count + m.n FROM (SELECT id, count(*)::int AS n FROM unnest($1::text[]) id GROUP BY id) m WHERE i.incident_id = m.id`, [this.mergedIncidents]);
    }
    if (this.outbox.length > 0) await enqueueOutboxMessages(client, schema, this.outbox);
  }
}

/** What intake keeps of a report as received: everything but a national ID number. */
function rawOf(report: IntakeReport): unknown {
  return { ...report, persons: report.persons.map(({ nationalId, ...rest }) => ({ ...rest, nationalIdGiven: nationalId !== undefined })) };
}

async function insertRows(client: PoolClient, table: string, columns: readonly string[], rows: readonly unknown[][], suffix = ''): Promise<void> {
  const perStatement = Math.floor(60_000 / columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values = chunk.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ${suffix}`, chunk.flat());
  }
}

export const INTAKE_EVENT_TYPES = [EventTypes.IntakeReportSubmitted, EventTypes.PoliceIncidentRecorded] as const;
