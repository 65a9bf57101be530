-- The intake and dispatch centre's store. Reports hold personal data (the reporter's
-- narrative and identifying details): this schema is the intake centre's own record, never
-- logged and never sent on except through the gateway.

-- Every report that arrived, accepted or not: nothing is lost.
CREATE TABLE reports (
  report_id        text PRIMARY KEY,          -- <channel or source system>:<source reference>
  source_event_id  text UNIQUE,               -- the gateway copy's event id, for Kafka redelivery
  channel          text NOT NULL,
  received_at      timestamptz NOT NULL,
  status           text NOT NULL CHECK (status IN ('dispatched', 'merged', 'review', 'rejected')),
  raw              jsonb NOT NULL,            -- as received (rejected reports keep only this)
  rejection        jsonb,                     -- field-level errors of a rejected report
  township_code    text,
  family_pseudonym text,
  incident_id      text,
  category         text,
  light            text,
  screening        jsonb,                     -- fired rules, rules version
  linkage          jsonb,                     -- per person: outcome, score, explanation
  decided_at       timestamptz
);
CREATE INDEX reports_family ON reports (family_pseudonym);
CREATE INDEX reports_received ON reports (received_at);

-- The master person index (a pseudonym and the features linkage compares; never a raw ID).
CREATE TABLE persons (
  person_pseudonym text PRIMARY KEY,
  family_pseudonym text,
  features         jsonb NOT NULL,
  first_report_id  text,
  created_at       timestamptz NOT NULL DEFAULT now()
);

-- Reports about one incident are merged into it: dispatched once.
CREATE TABLE incidents (
  incident_id      text PRIMARY KEY,
  family_pseudonym text NOT NULL,
  category         text NOT NULL,
  first_report_id  text NOT NULL,
  persons          text[] NOT NULL,
  opened_at        timestamptz NOT NULL,
  report_count     integer NOT NULL DEFAULT 1
);
CREATE INDEX incidents_family ON incidents (family_pseudonym, opened_at);

CREATE TABLE dispatches (
  dispatch_id       text PRIMARY KEY,
  incident_id       text NOT NULL UNIQUE REFERENCES incidents (incident_id),
  report_id         text NOT NULL,
  unit_id           text NOT NULL,
  secondary_units   text[] NOT NULL DEFAULT '{}',
  category          text NOT NULL,
  light             text NOT NULL,
  district          text,
  channel           text NOT NULL,
  route             jsonb NOT NULL,            -- the routing branches that chose each unit
  received_at       timestamptz NOT NULL,
  dispatched_at     timestamptz NOT NULL,
  deadline          timestamptz NOT NULL,
  acknowledged_at   timestamptz,
  acknowledged_by   text,
  escalation_level  integer NOT NULL DEFAULT 0,
  escalated_to      text,
  escalations       jsonb NOT NULL DEFAULT '[]',  -- each step: level, to, at (epoch ms)
  next_check_at     timestamptz
);
CREATE INDEX dispatches_open ON dispatches (next_check_at) WHERE acknowledged_at IS NULL;

-- Linkage the machine was not sure of: a person waits for a screener.
CREATE TABLE review_items (
  review_id    text PRIMARY KEY,
  report_id    text NOT NULL UNIQUE,
  reason       text NOT NULL,
  candidates   jsonb NOT NULL,
  created_at   timestamptz NOT NULL,
  resolved_at  timestamptz,
  resolution   jsonb
);

CREATE TABLE overrides (
  override_id  bigserial PRIMARY KEY,
  report_id    text NOT NULL,
  screener     text NOT NULL,
  reason       text NOT NULL,
  from_value   jsonb NOT NULL,
  to_value     jsonb NOT NULL,
  at           timestamptz NOT NULL
);

-- Case status per family and unit: opened, not opened, closed, long-term care (長期關懷戶).
CREATE TABLE case_status (
  family_pseudonym text NOT NULL,
  unit_id          text NOT NULL,
  status           text NOT NULL,
  updated_at       timestamptz NOT NULL,
  history          jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (family_pseudonym, unit_id)
);

-- Events committed with the state that caused them; a relay publishes them.
CREATE TABLE outbox (
  id           bigserial PRIMARY KEY,
  topic        text NOT NULL,
  message_key  text NOT NULL,
  envelope     bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
