-- Transactional outbox: events written in the same transaction as the change they
-- announce (ledger entries, consent changes, break-glass notices), published to Kafka by
-- the OutboxRelay and deleted once the broker acknowledged them.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  topic text NOT NULL,
  message_key text NOT NULL,
  envelope bytea NOT NULL,
  created_at timestamptz DEFAULT now()
);
