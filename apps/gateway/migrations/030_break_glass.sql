-- Break-glass grants and their supervisor review items. A grant is written in the same
-- transaction as the ledger entry of the disclosure it allowed.
CREATE TABLE break_glass_grants (
  grant_id uuid PRIMARY KEY,
  decision_id uuid NOT NULL,
  requester_unit text NOT NULL,
  subject_pseudonym text NOT NULL,
  basis text NOT NULL,
  reason text NOT NULL,
  categories_released text[] NOT NULL,
  granted_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  notified_units text[] NOT NULL
);

CREATE TABLE review_items (
  review_item_id uuid PRIMARY KEY,
  grant_id uuid NOT NULL REFERENCES break_glass_grants (grant_id),
  requester_unit text NOT NULL,
  supervisor_unit text NOT NULL,
  subject_pseudonym text NOT NULL,
  basis text NOT NULL,
  reason text NOT NULL,
  -- The worker's justification is kept here and in the ledger, never logged or published.
  justification text NOT NULL,
  categories_released text[] NOT NULL,
  opened_at timestamptz NOT NULL,
  closed_at timestamptz,
  closed_by_unit text,
  outcome text,
  notes text,
  decision_id uuid NOT NULL
);
CREATE INDEX review_items_supervisor ON review_items (supervisor_unit, closed_at);
