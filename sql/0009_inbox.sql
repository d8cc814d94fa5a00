-- Event-driven ingest: the durable inbox. A webhook acknowledges an event only after its row is
-- committed here; workers process the inbox afterwards (store the source record, resolve it in
-- real time, write golden changes and outbox events). Guarantees and operations: docs/realtime.md.

CREATE TABLE inbox_event (
  id              bigserial   PRIMARY KEY,
  source          text        NOT NULL,
  -- The sender's event id (CloudEvent id, ...) or, for a plain record push, a hash of the record's
  -- content: a second delivery of the same event is recognised and changes nothing.
  event_id        text        NOT NULL,
  kind            text        NOT NULL,              -- 'record' (a canonical record) | 'redo' (re-evaluate records)
  outcome         text,                              -- what storing it did: stored | unchanged | stale
  entity          text        NOT NULL,
  source_id       text,
  payload         jsonb       NOT NULL,
  correlation_id  text,
  status          text        NOT NULL DEFAULT 'pending', -- pending | done | dead
  attempts        integer     NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  claimed_by      text,
  claimed_until   timestamptz,
  last_error      text,
  received_at     timestamptz NOT NULL DEFAULT now(),
  processed_at    timestamptz,
  CONSTRAINT inbox_event_key UNIQUE (source, event_id)
);
CREATE INDEX inbox_event_pending ON inbox_event (next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX inbox_event_dead ON inbox_event (received_at) WHERE status = 'dead';
CREATE INDEX inbox_event_done ON inbox_event (processed_at) WHERE status = 'done';


-- Inbox workers in other hub processes wake on this notification instead of waiting for a poll.
CREATE FUNCTION mdm_inbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mdm_inbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER inbox_event_notify AFTER INSERT ON inbox_event FOR EACH STATEMENT EXECUTE FUNCTION mdm_inbox_notify();
