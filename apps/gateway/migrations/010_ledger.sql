-- The disclosure ledger: one row per disclosure decision, hash-chained, append-only.
-- entry_hash = sha256hex(previous_hash || E'\n' || canonical entry); the canonical form is
-- documented in apps/gateway/src/ledger/ledger-hash.ts. Pseudonyms only; the claim's
-- justification is kept here for accountability and never published or logged.
CREATE TABLE ledger (
  sequence bigint PRIMARY KEY CHECK (sequence > 0),
  entry_id uuid NOT NULL UNIQUE,
  decision_key text NOT NULL UNIQUE,
  decision_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('query', 'event_forwarded', 'event_withheld', 'break_glass')),
  requester_unit text NOT NULL,
  requester_role text NOT NULL,
  subject_pseudonym text NOT NULL,
  purpose text NOT NULL,
  bases text[] NOT NULL,
  policy_version text NOT NULL,
  consents_used jsonb NOT NULL,
  categories_released text[] NOT NULL,
  categories_withheld text[] NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('permit', 'partial', 'deny')),
  trace_id text NOT NULL,
  source_event_id text NOT NULL,
  break_glass boolean NOT NULL,
  requester_reference text NOT NULL,
  claim jsonb,
  recorded_at timestamptz NOT NULL,
  previous_hash text NOT NULL CHECK (previous_hash ~ '^[0-9a-f]{64}$'),
  entry_hash text NOT NULL CHECK (entry_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX ledger_subject_pseudonym ON ledger (subject_pseudonym);
CREATE INDEX ledger_requester_unit ON ledger (requester_unit);

-- The last entry's sequence and hash, updated in the same transaction as every append.
-- Its row lock serialises writers (several gateway instances); it also lets verification
-- notice a truncated tail.
CREATE TABLE ledger_head (
  id integer PRIMARY KEY CHECK (id = 1),
  sequence bigint NOT NULL CHECK (sequence >= 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);
INSERT INTO ledger_head (id, sequence, hash) VALUES (1, 0, repeat('0', 64));

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_append_only_truncate BEFORE TRUNCATE ON ledger
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- The head only moves forward and is never removed.
CREATE FUNCTION ledger_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.sequence > OLD.sequence THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ledger head only moves forward' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_head_forward_only BEFORE UPDATE OR DELETE ON ledger_head
  FOR EACH ROW EXECUTE FUNCTION ledger_head_forward_only();
CREATE TRIGGER ledger_head_forward_only_truncate BEFORE TRUNCATE ON ledger_head
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_head_forward_only();
