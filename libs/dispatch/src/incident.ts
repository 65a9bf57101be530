import type { ScreeningCategory } from '@weave/screening';
import type { DispatchTable } from './load-dispatch-routing';

/** A report as incident merging sees it: pseudonyms from linkage, never names. */
export interface IncidentReport {
  readonly reportId: string;
  /** The linked family's pseudonym. */
  readonly familyId: string;
  /** Linked persons' pseudonyms. */
  readonly personIds: readonly string[];
  readonly category: ScreeningCategory;
  /** Epoch milliseconds. */
  readonly receivedAt: number;
}

const HOUR_MS = 3_600_000;

/**
 * Family and category group: reports about one incident share it. Time is not in the key (a
 * bucket would split incidents at its edges); sameIncident applies the window.
 */
export function incidentKey(report: Pick<IncidentReport, 'familyId' | 'category'>, table: DispatchTable): string {
  return `${report.familyId}|${table.incidentGroup[report.category]}`;
}

/**
 * Same family, a person in common, compatible categories and received within the window.
 * A person in common is required: two reports about one family but different people (a
 * juvenile's truancy, the grandmother's fall) are different incidents.
 */
export function sameIncident(a: IncidentReport, b: IncidentReport, table: DispatchTable): boolean {
  if (a.reportId === b.reportId) return true;
  if (incidentKey(a, table) !== incidentKey(b, table)) return false;
  if (Math.abs(a.receivedAt - b.receivedAt) > table.incidentWindowHours * HOUR_MS) return false;
  return a.personIds.some((p) => b.personIds.includes(p));
}

export interface Incident {
  readonly key: string;
  /** The first report: the one dispatched. */
  readonly first: IncidentReport;
  /** Later reports merged into it, in order received (never dispatched again). */
  readonly merged: readonly IncidentReport[];
}

/**
 * Groups reports into incidents, oldest first. A report joins an incident when it is the same
 * incident as any report already in it (so a chain of reports a day apart stays one incident).
 */
export function mergeIncidents(reports: readonly IncidentReport[], table: DispatchTable): Incident[] {
  const ordered = [...reports].sort((x, y) => x.receivedAt - y.receivedAt || x.reportId.localeCompare(y.reportId));
  const incidents: { key: string; reports: IncidentReport[] }[] = [];
  for (const r of ordered) {
    const key = incidentKey(r, table);
    const into = incidents.find((i) => i.key === key && i.reports.some((x) => sameIncident(x, r, table)));
    if (into) into.reports.push(r);
    else incidents.push({ key, reports: [r] });
  }
  return incidents.map((i) => ({ key: i.key, first: i.reports[0] as IncidentReport, merged: i.reports.slice(1) }));
}
