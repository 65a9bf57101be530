/**
 * A person's subject access report: every ledger entry in which something about them was
 * released (categories_released not empty), oldest first — who received what, when, for
 * which purpose, on which basis and under which policy version.
 *
 * With protectVictims, entries whose recipient unit currently serves, as a client, someone
 * recorded as a protected victim of this person are left out and only counted: telling a
 * perpetrator which unit receives their data can tell them where their victim is helped.
 * Those facts are in the registry tables `involvements` and `protected_relations`
 * (migration 020_registry.sql, owned by the registry); "currently" means valid_from <= now()
 * and (valid_until is null or later than now()).
 */
import type { Pool } from 'pg';
import { checkedSchema } from '@weave/runtime';
import { rowToRecord, type ConsentUse, type LedgerEntryKind, type LedgerRow } from './ledger-entry';

export interface SubjectAccessRow {
  readonly recordedAt: Date;
  readonly sequence: string;
  readonly kind: LedgerEntryKind;
  readonly recipientUnit: string;
  readonly recipientRole: string;
  readonly purpose: string;
  readonly bases: readonly string[];
  readonly categoriesReleased: readonly string[];
  readonly policyVersion: string;
  readonly breakGlass: boolean;
  readonly consentsUsed: readonly ConsentUse[];
}

export interface SubjectAccessOptions {
  readonly protectVictims: boolean;
  /** Entries recorded at or after this time. */
  readonly from?: Date;
  /** Entries recorded before this time (exclusive). */
  readonly to?: Date;
}

export interface SubjectAccessReport {
  rows: SubjectAccessRow[];
  omitted: number;
}

type ReportRow = LedgerRow & { protected: boolean };

export async function subjectAccessReport(pool: Pool, schema: string, subject: string, options: SubjectAccessOptions): Promise<SubjectAccessReport> {
  const s = checkedSchema(schema);
  if (subject === '') throw new Error('subject access report: subject pseudonym required');
  const protectedExpression = options.protectVictims
    ? `EXISTS (
         SELECT 1
           FROM ${s}.protected_relations r
           JOIN ${s}.involvements i ON i.person_pseudonym = r.victim_pseudonym
          WHERE r.perpetrator_pseudonym = $1
            AND i.unit_id = l.requester_unit
            AND i.relationship = 'client'
            AND i.valid_from <= now()
            AND (i.valid_until IS NULL OR i.valid_until > now()))`
    : 'false';
  const { rows } = await pool.query<ReportRow>(
    `SELECT l.sequence, l.entry_id, l.decision_key, l.decision_id, l.kind, l.requester_unit, l.requester_role,
            l.subject_pseudonym, l.purpose, l.bases, l.policy_version, l.consents_used, l.categories_released,
            l.categories_withheld, l.outcome, l.trace_id, l.source_event_id, l.break_glass, l.requester_reference,
            NULL::jsonb AS claim, l.recorded_at, l.previous_hash, l.entry_hash,
            ${protectedExpression} AS protected
       FROM ${s}.ledger l
      WHERE l.subject_pseudonym = $1
        AND cardinality(l.categories_released) > 0
        AND ($2::timestamptz IS NULL OR l.recorded_at >= $2)
        AND ($3::timestamptz IS NULL OR l.recorded_at < $3)
      ORDER BY l.sequence`,
    [subject, options.from ?? null, options.to ?? null],
  );
  const report: SubjectAccessReport = { rows: [], omitted: 0 };
  for (const row of rows) {
    if (row.protected) {
      report.omitted += 1;
      continue;
    }
    const r = rowToRecord(row);
    report.rows.push({
      recordedAt: r.recordedAt,
      sequence: r.sequence,
      kind: r.kind,
      recipientUnit: r.requesterUnit,
      recipientRole: r.requesterRole,
      purpose: r.purpose,
      bases: r.bases,
      categoriesReleased: r.categoriesReleased,
      policyVersion: r.policyVersion,
      breakGlass: r.breakGlass,
      consentsUsed: r.consentsUsed,
    });
  }
  return report;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const SUBJECT_ACCESS_HEADER = [
  'recorded_at',
  'sequence',
  'kind',
  'recipient_unit',
  'recipient_role',
  'purpose',
  'bases',
  'categories_released',
  'policy_version',
  'break_glass',
  'consents_used',
] as const;

function cells(row: SubjectAccessRow): string[] {
  return [
    row.recordedAt.toISOString(),
    row.sequence,
    row.kind,
    row.recipientUnit,
    row.recipientRole,
    row.purpose,
    row.bases.join(' '),
    row.categoriesReleased.join(' '),
    row.policyVersion,
    row.breakGlass ? 'yes' : 'no',
    row.consentsUsed.map((c) => `${c.consentId}@${c.version}`).join(' '),
  ];
}

/** RFC 4180 CSV with a header line. */
export function subjectAccessCsv(rows: readonly SubjectAccessRow[]): string {
  return [SUBJECT_ACCESS_HEADER.join(','), ...rows.map((r) => cells(r).map(csvField).join(','))].join('\r\n') + '\r\n';
}

/** A plain-text table with aligned columns. */
export function subjectAccessTable(rows: readonly SubjectAccessRow[]): string {
  const table = [[...SUBJECT_ACCESS_HEADER], ...rows.map(cells)];
  const widths = SUBJECT_ACCESS_HEADER.map((_, i) => Math.max(...table.map((line) => (line[i] ?? '').length)));
  return table.map((line) => line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n') + '\n';
}
