/**
 * The hash chain of the disclosure ledger.
 *
 *   entry_hash = sha256hex(previous_hash + "\n" + canonicalEntry(record))
 *
 * where previous_hash is the entry_hash of the entry before (64 zeros for sequence 1).
 *
 * canonicalEntry is a JSON object, serialised by canonicalJson below, with these keys
 * (snake_case, as the columns are named) and nothing else:
 *
 *   format               "weave-ledger-entry/1" (changes if this list ever changes)
 *   sequence             decimal string, e.g. "42" (bigint, so never a JSON number)
 *   entry_id             UUID, lower case
 *   decision_key         string
 *   decision_id          UUID, lower case
 *   kind                 "query" | "event_forwarded" | "event_withheld" | "break_glass"
 *   requester_unit, requester_role, subject_pseudonym, purpose, policy_version,
 *   trace_id, source_event_id, requester_reference, outcome      strings
 *   bases, categories_released, categories_withheld   arrays of strings, in stored order
 *   consents_used        array of {"consent_id": string, "version": integer}, in stored order
 *   break_glass          true | false
 *   claim                null | {"basis": string, "justification": string, "reason": string}
 *   recorded_at          ISO-8601 UTC with milliseconds, e.g. "2026-01-31T08:15:00.123Z"
 *
 * canonicalJson is RFC 8785 (JSON Canonicalization Scheme) for the values used here: no
 * whitespace; object keys sorted by UTF-16 code units at every level; strings escaped as
 * ECMAScript JSON.stringify does; integers only (a non-integer or non-finite number is
 * refused); arrays keep their order; Date values become toISOString(); undefined is
 * refused rather than silently dropped. The previous and own hashes are not part of the
 * canonical entry (the previous hash is the prefix of the hash input).
 */
import { createHash } from 'node:crypto';
import type { LedgerRecord } from './ledger-entry';

export const LEDGER_ENTRY_FORMAT = 'weave-ledger-entry/1';
export const GENESIS_HASH = '0'.repeat(64);

export type CanonicalValue = string | number | boolean | null | Date | readonly CanonicalValue[] | { readonly [key: string]: CanonicalValue };

/** Deterministic JSON: sorted keys, no whitespace, integers only, dates as ISO strings. */
export function canonicalJson(value: CanonicalValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error('canonical JSON: only safe integers are allowed');
    return JSON.stringify(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error('canonical JSON: invalid date');
    return JSON.stringify(value.toISOString());
  }
  if (Array.isArray(value)) return `[${value.map((v: CanonicalValue) => canonicalJson(v)).join(',')}]`;
  if (typeof value !== 'object') throw new Error(`canonical JSON: unsupported ${typeof value}`);
  const object = value as { readonly [key: string]: CanonicalValue };
  const keys = Object.keys(object).sort();
  return `{${keys
    .map((k) => {
      const v = object[k];
      if (v === undefined) throw new Error('canonical JSON: undefined value');
      return `${JSON.stringify(k)}:${canonicalJson(v)}`;
    })
    .join(',')}}`;
}

export type HashedFields = Omit<LedgerRecord, 'previousHash' | 'entryHash'>;

/** The canonical serialisation of every stored field of an entry (see the file comment). */
export function canonicalEntry(r: HashedFields): string {
  return canonicalJson({
    format: LEDGER_ENTRY_FORMAT,
    sequence: r.sequence,
    entry_id: r.entryId,
    decision_key: r.decisionKey,
    decision_id: r.decisionId,
    kind: r.kind,
    requester_unit: r.requesterUnit,
    requester_role: r.requesterRole,
    subject_pseudonym: r.subjectPseudonym,
    purpose: r.purpose,
    bases: [...r.bases],
    policy_version: r.policyVersion,
    consents_used: r.consentsUsed.map((c) => ({ consent_id: c.consentId, version: c.version })),
    categories_released: [...r.categoriesReleased],
    categories_withheld: [...r.categoriesWithheld],
    outcome: r.outcome,
    trace_id: r.traceId,
    source_event_id: r.sourceEventId,
    break_glass: r.breakGlass,
    requester_reference: r.requesterReference,
    claim: r.claim === null ? null : { basis: r.claim.basis, reason: r.claim.reason, justification: r.claim.justification },
    recorded_at: r.recordedAt,
  });
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** entry_hash of an entry that follows `previousHash`. */
export function entryHash(previousHash: string, fields: HashedFields): string {
  return sha256Hex(`${previousHash}\n${canonicalEntry(fields)}`);
}

/** Chains records onto `previousHash` in order, filling in previous_hash and entry_hash. */
export function chain(previousHash: string, fields: readonly HashedFields[]): LedgerRecord[] {
  let previous = previousHash;
  return fields.map((f) => {
    const hash = entryHash(previous, f);
    const record: LedgerRecord = { ...f, previousHash: previous, entryHash: hash };
    previous = hash;
    return record;
  });
}
