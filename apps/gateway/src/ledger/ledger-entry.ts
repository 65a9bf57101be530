/**
 * What the disclosure ledger records: the entry a caller submits, the row the ledger
 * stores (the entry plus sequence, id, time and hashes), and the checks an entry must pass
 * before it may join a batch. A bad entry is refused to its own caller at `append`, so it
 * can never make PostgreSQL reject (and so fail) the batch of every other caller.
 */
import { isDataCategoryName, isLegalBasisName, isPurposeName, isRecipientRoleName } from '../registry/vocabulary-mapping';

export type LedgerEntryKind = 'query' | 'event_forwarded' | 'event_withheld' | 'break_glass';
export const LEDGER_ENTRY_KINDS: readonly LedgerEntryKind[] = ['query', 'event_forwarded', 'event_withheld', 'break_glass'];

export type LedgerOutcome = 'permit' | 'partial' | 'deny';
export const LEDGER_OUTCOMES: readonly LedgerOutcome[] = ['permit', 'partial', 'deny'];

export interface ConsentUse {
  readonly consentId: string;
  readonly version: number;
}

export interface LedgerClaim {
  readonly basis: string;
  readonly reason: string;
  readonly justification: string;
}

export interface LedgerEntryInput {
  /** Unique per decision: a query's decision id, or `${sourceEventId}|${recipientUnit}` for an event. */
  readonly decisionKey: string;
  /** UUID. */
  readonly decisionId: string;
  readonly kind: LedgerEntryKind;
  /** '' when an event had no recipient at all. */
  readonly requesterUnit: string;
  /** Policy vocabulary, e.g. 'social_welfare_centre' ('' when none). */
  readonly requesterRole: string;
  /** 'p1_…' ('' when none). */
  readonly subjectPseudonym: string;
  /** Policy vocabulary, e.g. 'case_coordination' ('' when none). */
  readonly purpose: string;
  /** Policy vocabulary, e.g. ['statutory_duty', 'consent']. */
  readonly bases: readonly string[];
  readonly policyVersion: string;
  readonly consentsUsed: readonly ConsentUse[];
  readonly categoriesReleased: readonly string[];
  readonly categoriesWithheld: readonly string[];
  readonly outcome: LedgerOutcome;
  /** W3C trace id (32 lower-case hex) of the decision, '' when none. */
  readonly traceId: string;
  /** '' for queries. */
  readonly sourceEventId: string;
  readonly breakGlass: boolean;
  readonly requesterReference: string;
  /** Kept in the ledger for accountability; NEVER published in the ledger event, never logged. */
  readonly claim?: LedgerClaim;
}

/** One stored ledger row: the entry and what the ledger adds to it. */
export interface LedgerRecord {
  readonly sequence: string;
  readonly entryId: string;
  readonly decisionKey: string;
  readonly decisionId: string;
  readonly kind: LedgerEntryKind;
  readonly requesterUnit: string;
  readonly requesterRole: string;
  readonly subjectPseudonym: string;
  readonly purpose: string;
  readonly bases: readonly string[];
  readonly policyVersion: string;
  readonly consentsUsed: readonly ConsentUse[];
  readonly categoriesReleased: readonly string[];
  readonly categoriesWithheld: readonly string[];
  readonly outcome: LedgerOutcome;
  readonly traceId: string;
  readonly sourceEventId: string;
  readonly breakGlass: boolean;
  readonly requesterReference: string;
  readonly claim: LedgerClaim | null;
  readonly recordedAt: Date;
  readonly previousHash: string;
  readonly entryHash: string;
}

/** The columns of the ledger table, in the order the ledger inserts them. */
export const LEDGER_COLUMNS = [
  'sequence',
  'entry_id',
  'decision_key',
  'decision_id',
  'kind',
  'requester_unit',
  'requester_role',
  'subject_pseudonym',
  'purpose',
  'bases',
  'policy_version',
  'consents_used',
  'categories_released',
  'categories_withheld',
  'outcome',
  'trace_id',
  'source_event_id',
  'break_glass',
  'requester_reference',
  'claim',
  'recorded_at',
  'previous_hash',
  'entry_hash',
] as const;

/** A ledger row as node-postgres returns it. */
export interface LedgerRow {
  sequence: string;
  entry_id: string;
  decision_key: string;
  decision_id: string;
  kind: string;
  requester_unit: string;
  requester_role: string;
  subject_pseudonym: string;
  purpose: string;
  bases: string[];
  policy_version: string;
  consents_used: unknown;
  categories_released: string[];
  categories_withheld: string[];
  outcome: string;
  trace_id: string;
  source_event_id: string;
  break_glass: boolean;
  requester_reference: string;
  claim: unknown;
  recorded_at: Date;
  previous_hash: string;
  entry_hash: string;
}

/** Parameters of one row, in LEDGER_COLUMNS order (arrays stay arrays; jsonb as JSON text). */
export function recordParameters(r: LedgerRecord): unknown[] {
  return [
    r.sequence,
    r.entryId,
    r.decisionKey,
    r.decisionId,
    r.kind,
    r.requesterUnit,
    r.requesterRole,
    r.subjectPseudonym,
    r.purpose,
    [...r.bases],
    r.policyVersion,
    JSON.stringify(r.consentsUsed.map((c) => ({ consentId: c.consentId, version: c.version }))),
    [...r.categoriesReleased],
    [...r.categoriesWithheld],
    r.outcome,
    r.traceId,
    r.sourceEventId,
    r.breakGlass,
    r.requesterReference,
    r.claim === null ? null : JSON.stringify(r.claim),
    r.recordedAt,
    r.previousHash,
    r.entryHash,
  ];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function consentsOf(value: unknown): ConsentUse[] {
  if (!Array.isArray(value)) return [];
  return value.map((c: unknown) => {
    const o = (c ?? {}) as Record<string, unknown>;
    return { consentId: text(o['consentId']), version: typeof o['version'] === 'number' ? o['version'] : Number.NaN };
  });
}

function claimOf(value: unknown): LedgerClaim | null {
  if (value === null || value === undefined || typeof value !== 'object') return null;
  const o = value as Record<string, unknown>;
  return { basis: text(o['basis']), reason: text(o['reason']), justification: text(o['justification']) };
}

/** Maps a stored row back to a record (the inverse of recordParameters). */
export function rowToRecord(row: LedgerRow): LedgerRecord {
  return {
    sequence: String(row.sequence),
    entryId: row.entry_id,
    decisionKey: row.decision_key,
    decisionId: row.decision_id,
    kind: row.kind as LedgerEntryKind,
    requesterUnit: row.requester_unit,
    requesterRole: row.requester_role,
    subjectPseudonym: row.subject_pseudonym,
    purpose: row.purpose,
    bases: row.bases,
    policyVersion: row.policy_version,
    consentsUsed: consentsOf(row.consents_used),
    categoriesReleased: row.categories_released,
    categoriesWithheld: row.categories_withheld,
    outcome: row.outcome as LedgerOutcome,
    traceId: row.trace_id,
    sourceEventId: row.source_event_id,
    breakGlass: row.break_glass,
    requesterReference: row.requester_reference,
    claim: claimOf(row.claim),
    recordedAt: row.recorded_at,
    previousHash: row.previous_hash,
    entryHash: row.entry_hash,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PSEUDONYM = /^p1_[a-z2-7]{26}$/;
const TRACE_ID = /^[0-9a-f]{32}$/;
// NUL cannot be stored in PostgreSQL text or jsonb; a lone surrogate would be stored as
// U+FFFD and so hash differently from what the ledger hashed.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_TEXT = 10_000;

function storable(field: string, value: unknown, problems: string[], maxLength = MAX_TEXT): value is string {
  if (typeof value !== 'string') {
    problems.push(`${field}: expected a string`);
    return false;
  }
  if (value.includes('\u0000') || LONE_SURROGATE.test(value)) problems.push(`${field}: contains a NUL or unpaired surrogate`);
  if (value.length > maxLength) problems.push(`${field}: longer than ${maxLength}`);
  return true;
}

function vocabulary(field: string, values: unknown, known: (name: string) => boolean, problems: string[]): void {
  if (!Array.isArray(values)) {
    problems.push(`${field}: expected an array`);
    return;
  }
  values.forEach((v: unknown, i) => {
    if (typeof v !== 'string' || !known(v)) problems.push(`${field}[${i}]: not in the policy vocabulary`);
  });
}

/**
 * Problems that would stop an entry from being stored or published; empty when valid.
 * Each problem names a field, never its value (entries carry personal data).
 */
export function ledgerEntryProblems(entry: LedgerEntryInput): string[] {
  const problems: string[] = [];
  if (storable('decisionKey', entry.decisionKey, problems, 500) && entry.decisionKey === '') problems.push('decisionKey: required');
  if (typeof entry.decisionId !== 'string' || !UUID.test(entry.decisionId)) problems.push('decisionId: expected a UUID');
  if (!LEDGER_ENTRY_KINDS.includes(entry.kind)) problems.push('kind: unknown');
  if (!LEDGER_OUTCOMES.includes(entry.outcome)) problems.push('outcome: unknown');
  storable('requesterUnit', entry.requesterUnit, problems, 200);
  if (storable('requesterRole', entry.requesterRole, problems) && entry.requesterRole !== '' && !isRecipientRoleName(entry.requesterRole)) {
    problems.push('requesterRole: not in the policy vocabulary');
  }
  if (typeof entry.subjectPseudonym !== 'string' || (entry.subjectPseudonym !== '' && !PSEUDONYM.test(entry.subjectPseudonym))) {
    problems.push('subjectPseudonym: expected a person pseudonym or empty');
  }
  if (storable('purpose', entry.purpose, problems) && entry.purpose !== '' && !isPurposeName(entry.purpose)) {
    problems.push('purpose: not in the policy vocabulary');
  }
  vocabulary('bases', entry.bases, isLegalBasisName, problems);
  storable('policyVersion', entry.policyVersion, problems, 200);
  if (!Array.isArray(entry.consentsUsed)) {
    problems.push('consentsUsed: expected an array');
  } else {
    entry.consentsUsed.forEach((c, i) => {
      storable(`consentsUsed[${i}].consentId`, c?.consentId, problems, 200);
      if (!Number.isInteger(c?.version) || c.version < 0 || c.version > 0xffffffff) {
        problems.push(`consentsUsed[${i}].version: expected an unsigned 32-bit integer`);
      }
    });
  }
  vocabulary('categoriesReleased', entry.categoriesReleased, isDataCategoryName, problems);
  vocabulary('categoriesWithheld', entry.categoriesWithheld, isDataCategoryName, problems);
  if (typeof entry.traceId !== 'string' || (entry.traceId !== '' && !TRACE_ID.test(entry.traceId))) {
    problems.push('traceId: expected 32 lower-case hex digits or empty');
  }
  storable('sourceEventId', entry.sourceEventId, problems, 200);
  if (typeof entry.breakGlass !== 'boolean') problems.push('breakGlass: expected a boolean');
  storable('requesterReference', entry.requesterReference, problems, 500);
  if (entry.claim !== undefined) {
    if (entry.claim === null || typeof entry.claim !== 'object') {
      problems.push('claim: expected an object');
    } else {
      storable('claim.basis', entry.claim.basis, problems, 200);
      storable('claim.reason', entry.claim.reason, problems, 200);
      storable('claim.justification', entry.claim.justification, problems);
    }
  }
  return problems;
}

/** PostgreSQL schema names are interpolated into SQL, so only plain identifiers are accepted. */
