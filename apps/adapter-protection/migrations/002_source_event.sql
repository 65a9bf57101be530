-- The gateway forwards a recipient-specific copy with its own event id; the id of the
-- agency event it was made from (causation_id) ties the inbox back to the source.
ALTER TABLE received_events ADD COLUMN source_event_id uuid;
ALTER TABLE received_events ADD COLUMN recipient_unit text;
CREATE INDEX received_events_source ON received_events (source_event_id);
