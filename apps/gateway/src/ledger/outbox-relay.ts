// The outbox moved to @weave/runtime, shared with intake; re-exported for the ledger.
export { OutboxRelay, enqueueOutbox, enqueueOutboxMessages, type OutboxMessage, type OutboxPublisher, type OutboxRelayOptions } from '@weave/runtime';
