export {
  DisclosureLedger,
  InvalidLedgerEntryError,
  LedgerUnavailableError,
  type DisclosureLedgerOptions,
  type LedgerEffect,
  type LedgerReceipt,
} from './disclosure-ledger';
export { ledgerEntryProblems, type ConsentUse, type LedgerClaim, type LedgerEntryInput, type LedgerEntryKind, type LedgerOutcome, type LedgerRecord } from './ledger-entry';
export { GENESIS_HASH, LEDGER_ENTRY_FORMAT, canonicalEntry, canonicalJson, entryHash } from './ledger-hash';
export { disclosureRecordedPayload, ledgerEventEnvelope, ledgerEventId, ledgerTraceparent } from './ledger-event';
export { GATEWAY_MIGRATIONS_DIR } from './migrations-dir';
export { OutboxRelay, enqueueOutbox, type OutboxPublisher, type OutboxRelayOptions } from '@weave/runtime';
export {
  subjectAccessCsv,
  subjectAccessReport,
  subjectAccessTable,
  type SubjectAccessOptions,
  type SubjectAccessReport,
  type SubjectAccessRow,
} from './subject-access-report';
export { verifyLedger, type LedgerProblem, type LedgerVerification, type VerifyLedgerOptions } from './verify-ledger';
