-- Delivery of change events (outbox) to subscribers: who receives what, how far each subscriber's
-- fan-out got, what is waiting or retrying, and what was given up on (dead letters).
-- Guarantees and operations: docs/events.md.

-- The transaction that wrote each event. The dispatcher reads only events whose transaction is older
-- than every transaction still running, in (tx_id, id) order: an event that commits late with a lower
-- id is never skipped, and no event is read twice.
ALTER TABLE outbox ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX outbox_tx ON outbox (tx_id, id);
CREATE INDEX outbox_created ON outbox (created_at);

-- Receivers of change events (webhooks). The signing secret must be usable to sign, so it cannot be
-- hashed: it is stored AES-256-GCM encrypted ('aes256gcm:...') when MDM_SECRET_KEY is set, else as
-- given ('plain:...'). It is never listed or logged.
CREATE TABLE subscriber (
  id           bigserial   PRIMARY KEY,
  name         text        NOT NULL,
  url          text        NOT NULL,
  entities     text[],                  -- NULL: every entity type
  event_types  text[],                  -- NULL: every event type (golden.created, xref.moved, ...)
  secret       text        NOT NULL,
  active       boolean     NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT subscriber_name UNIQUE (name)
);

-- How far each subscriber's fan-out has read the outbox, in (tx_id, id) order.
CREATE TABLE subscriber_cursor (
  subscriber_id bigint      PRIMARY KEY REFERENCES subscriber (id) ON DELETE CASCADE,
  tx_id         xid8        NOT NULL,
  outbox_id     bigint      NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Events that matched a subscriber and are not delivered yet (waiting, in flight or retrying).
-- A row is deleted when the subscriber acknowledges the event (2xx).
CREATE TABLE delivery (
  subscriber_id    bigint      NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
  outbox_id        bigint      NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  golden_id        text        NOT NULL,
  golden_version   integer     NOT NULL,
  event_created_at timestamptz NOT NULL,
  attempts         integer     NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  claimed_by       text,                 -- the hub process delivering it now
  claimed_until    timestamptz,          -- after this the claim lapses and another process may retry
  last_status      integer,
  last_error       text,
  replayed         boolean     NOT NULL DEFAULT false,
  queued_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscriber_id, outbox_id)
);
CREATE INDEX delivery_golden ON delivery (subscriber_id, golden_id, golden_version, outbox_id);
CREATE INDEX delivery_due ON delivery (subscriber_id, next_attempt_at);

-- Events given up on after the retry budget. A dead letter holds back the later events of its golden
-- record for that subscriber until it is replayed (`mdm events replay`) or discarded.
CREATE TABLE dead_letter (
  subscriber_id    bigint      NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
  outbox_id        bigint      NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
  golden_id        text        NOT NULL,
  golden_version   integer     NOT NULL,
  event_created_at timestamptz NOT NULL,
  attempts         integer     NOT NULL,
  last_status      integer,
  last_error       text,
  failed_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subscriber_id, outbox_id)
);
CREATE INDEX dead_letter_golden ON dead_letter (subscriber_id, golden_id, golden_version, outbox_id);
