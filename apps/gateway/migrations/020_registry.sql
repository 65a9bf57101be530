-- Consent registry and involvement (need-to-know) registry of the gateway.
-- Pseudonyms only: no names, ID numbers or free text about a person are stored here.
-- Table names are unqualified: migrate() sets search_path to the gateway's schema.

-- ---------------------------------------------------------------------------------------
-- Consent registry
-- ---------------------------------------------------------------------------------------

-- Current state, one row per consent or waiver. Vocabulary columns hold the policy's
-- snake_case names (libs/policy/src/vocabulary.ts), never protobuf enum numbers.
CREATE TABLE consents (
  consent_id uuid PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 1),
  subject_pseudonym text NOT NULL,
  given_by text NOT NULL CHECK (given_by IN ('subject', 'guardian', 'legal_representative')),
  kind text NOT NULL CHECK (kind IN ('consent', 'waiver')),
  categories text[] NOT NULL,
  recipient_roles text[] NOT NULL,
  recipient_units text[] NOT NULL,
  purposes text[] NOT NULL,
  valid_from timestamptz NOT NULL,
  valid_until timestamptz,
  withdrawn_at timestamptz,
  withdrawn_by text CHECK (withdrawn_by IN ('subject', 'guardian', 'legal_representative')),
  recorded_by_unit text NOT NULL,
  -- A reference to the signed form in the recording unit's own system, not its content.
  evidence_reference text NOT NULL CHECK (char_length(evidence_reference) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CHECK (valid_until IS NULL OR valid_until > valid_from),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL)),
  CHECK (NOT ('statistics' = ANY (purposes)))
);
CREATE INDEX consents_subject ON consents (subject_pseudonym);

-- Append-only: one row per version, with the full state after the change.
CREATE TABLE consent_history (
  consent_id uuid NOT NULL REFERENCES consents (consent_id),
  version integer NOT NULL,
  change text NOT NULL CHECK (change IN ('granted', 'withdrawn')),
  state jsonb NOT NULL,
  changed_by_unit text NOT NULL,
  changed_at timestamptz NOT NULL,
  PRIMARY KEY (consent_id, version)
);

CREATE FUNCTION consent_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'consent_history is append-only';
END;
$$;
CREATE TRIGGER consent_history_no_update_or_delete
  BEFORE UPDATE OR DELETE ON consent_history
  FOR EACH ROW EXECUTE FUNCTION consent_history_append_only();

-- ---------------------------------------------------------------------------------------
-- Involvement registry (need-to-know)
-- ---------------------------------------------------------------------------------------

-- The two CREATE TABLE statements below are shared with the disclosure ledger; keep them as
-- they are and extend with ALTER TABLE.
CREATE TABLE involvements (id bigserial PRIMARY KEY, unit_id text NOT NULL, person_pseudonym text NOT NULL, family_pseudonym text, kind text NOT NULL /* lead|collaborator|dispatched|emergency */, relationship text NOT NULL /* client|counterparty */, valid_from timestamptz NOT NULL, valid_until timestamptz, source_event_id text NOT NULL);
CREATE TABLE protected_relations (victim_pseudonym text NOT NULL, perpetrator_pseudonym text NOT NULL, source_event_id text NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (victim_pseudonym, perpetrator_pseudonym));

-- The case a lead/collaborator involvement comes from, so that leaving the case ends it.
ALTER TABLE involvements ADD COLUMN case_id text;
ALTER TABLE involvements ADD CONSTRAINT involvements_kind CHECK (kind IN ('lead', 'collaborator', 'dispatched', 'emergency'));
ALTER TABLE involvements ADD CONSTRAINT involvements_relationship CHECK (relationship IN ('client', 'counterparty'));

CREATE INDEX involvements_unit_person ON involvements (unit_id, person_pseudonym);
CREATE INDEX involvements_person ON involvements (person_pseudonym);
CREATE INDEX involvements_unit_family ON involvements (unit_id, family_pseudonym) WHERE family_pseudonym IS NOT NULL;
CREATE INDEX involvements_open_case ON involvements (unit_id, case_id) WHERE case_id IS NOT NULL AND valid_until IS NULL;

-- Which people belong to which family (from dispatch and case events).
CREATE TABLE family_members (
  family_pseudonym text NOT NULL,
  person_pseudonym text NOT NULL,
  source_event_id text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (family_pseudonym, person_pseudonym)
);
CREATE INDEX family_members_person ON family_members (person_pseudonym);

-- Source events already applied to the involvement registry: a redelivery changes nothing.
CREATE TABLE registry_processed_events (
  event_id text PRIMARY KEY,
  event_type text NOT NULL,
  processed_at timestamptz NOT NULL DEFAULT now()
);
