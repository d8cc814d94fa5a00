-- Source records as received, ingest runs and quarantine.

CREATE TABLE ingest_run (
  id                bigserial PRIMARY KEY,
  kind              text        NOT NULL,            -- file | sync | event
  source            text,
  entity            text,
  file              text,
  mode              text,
  status            text        NOT NULL DEFAULT 'running', -- running | succeeded | failed
  started_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  read_count        integer     NOT NULL DEFAULT 0,
  inserted_count    integer     NOT NULL DEFAULT 0,
  updated_count     integer     NOT NULL DEFAULT 0,
  unchanged_count   integer     NOT NULL DEFAULT 0,
  stale_count       integer     NOT NULL DEFAULT 0,
  deleted_count     integer     NOT NULL DEFAULT 0,
  quarantined_count integer     NOT NULL DEFAULT 0,
  error             text
);
CREATE INDEX ingest_run_source_started ON ingest_run (source, started_at DESC);

-- Every change to a source record takes the next value; resolution reads "changed since".
CREATE SEQUENCE source_record_change_seq;

CREATE TABLE source_record (
  id             bigserial   PRIMARY KEY,
  entity         text        NOT NULL,
  source         text        NOT NULL,
  source_id      text        NOT NULL,
  updated_at     timestamptz,
  deleted        boolean     NOT NULL DEFAULT false,
  content_hash   text        NOT NULL,
  attributes     jsonb       NOT NULL,
  raw            json        NOT NULL,  -- as received; json keeps it verbatim and is cheaper to store than jsonb
  version        integer     NOT NULL DEFAULT 1,
  change_seq     bigint      NOT NULL DEFAULT nextval('source_record_change_seq'),
  first_seen_at  timestamptz NOT NULL DEFAULT now(),
  last_seen_at   timestamptz NOT NULL DEFAULT now(),
  first_run_id   bigint      REFERENCES ingest_run (id),
  last_run_id    bigint      REFERENCES ingest_run (id),
  CONSTRAINT source_record_key UNIQUE (entity, source, source_id)
);

-- Superseded versions of source records (the current one stays in source_record).
CREATE TABLE source_record_history (
  id             bigserial   PRIMARY KEY,
  record_id      bigint      NOT NULL REFERENCES source_record (id),
  version        integer     NOT NULL,
  updated_at     timestamptz,
  deleted        boolean     NOT NULL,
  content_hash   text        NOT NULL,
  attributes     jsonb       NOT NULL,
  raw            json        NOT NULL,  -- as received; json keeps it verbatim and is cheaper to store than jsonb
  run_id         bigint      REFERENCES ingest_run (id),
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT source_record_history_version UNIQUE (record_id, version)
);

CREATE TABLE quarantine (
  id          bigserial   PRIMARY KEY,
  run_id      bigint      REFERENCES ingest_run (id),
  source      text,
  entity      text,
  source_id   text,
  file        text,
  line        integer,
  excerpt     text        NOT NULL,
  reason      text        NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_run ON quarantine (run_id);
CREATE INDEX quarantine_created ON quarantine (created_at DESC);
