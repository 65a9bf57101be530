-- Events the gateway disclosed to the protection system, as received. Pseudonyms only.
CREATE TABLE received_events (
  event_id uuid PRIMARY KEY,
  event_type text NOT NULL,
  source_system text NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  subjects jsonb NOT NULL,
  data_categories text[] NOT NULL,
  payload jsonb NOT NULL,
  trace_id text
);
CREATE INDEX received_events_received_at ON received_events (received_at);
