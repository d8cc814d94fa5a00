-- Identity resolution: golden ids, cross-references, redirects, the match queue, steward
-- decisions, trained models and resolve runs.

CREATE TABLE golden_record (
  id            text        PRIMARY KEY,
  entity        text        NOT NULL,
  status        text        NOT NULL DEFAULT 'active',   -- active | merged | retired
  merged_into   text        REFERENCES golden_record (id),
  split_from    text        REFERENCES golden_record (id),
  locked        boolean     NOT NULL DEFAULT false,
  version       integer     NOT NULL DEFAULT 1,
  attributes    jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX golden_record_entity ON golden_record (entity, status);

-- One row per source record attached to a golden record.
CREATE TABLE xref (
  record_id     bigint      PRIMARY KEY REFERENCES source_record (id),
  entity        text        NOT NULL,
  source        text        NOT NULL,
  source_id     text        NOT NULL,
  golden_id     text        NOT NULL REFERENCES golden_record (id),
  attached_at   timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT xref_key UNIQUE (entity, source, source_id)
);
CREATE INDEX xref_golden ON xref (golden_id);

-- Retired ids keep resolving to the id that absorbed them.
CREATE TABLE golden_redirect (
  from_id       text        PRIMARY KEY REFERENCES golden_record (id),
  to_id         text        NOT NULL REFERENCES golden_record (id),
  reason        text        NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX golden_redirect_to ON golden_redirect (to_id);

-- Candidate pairs a steward should look at, with their explanation.
CREATE TABLE match_pair (
  id              bigserial   PRIMARY KEY,
  entity          text        NOT NULL,
  left_record_id  bigint      NOT NULL REFERENCES source_record (id),
  right_record_id bigint      NOT NULL REFERENCES source_record (id),
  weight          double precision NOT NULL,
  probability     double precision NOT NULL,
  blocking_rule   text,
  reason          text        NOT NULL,   -- between-thresholds | cannot-link | clearly-different | weak-linkage
  explanation     jsonb       NOT NULL,
  status          text        NOT NULL DEFAULT 'pending', -- pending | deferred | merged | rejected | obsolete
  priority        double precision NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT match_pair_ordered CHECK (left_record_id < right_record_id),
  CONSTRAINT match_pair_key UNIQUE (left_record_id, right_record_id)
);
CREATE INDEX match_pair_queue ON match_pair (entity, status, priority DESC);

-- Must-link / cannot-link between source records: every later run respects them.
CREATE TABLE steward_decision (
  id              bigserial   PRIMARY KEY,
  entity          text        NOT NULL,
  kind            text        NOT NULL,   -- must-link | cannot-link
  left_record_id  bigint      NOT NULL REFERENCES source_record (id),
  right_record_id bigint      NOT NULL REFERENCES source_record (id),
  actor           text        NOT NULL,
  reason          text,
  active          boolean     NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT steward_decision_ordered CHECK (left_record_id < right_record_id)
);
CREATE INDEX steward_decision_entity ON steward_decision (entity, active);

-- Trained match models, versioned; resolution uses the newest per model name.
CREATE TABLE match_model (
  id            bigserial   PRIMARY KEY,
  entity        text        NOT NULL,
  name          text        NOT NULL,
  version       integer     NOT NULL,
  model         jsonb       NOT NULL,
  report        jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT match_model_version UNIQUE (name, version)
);

CREATE TABLE resolve_run (
  id            bigserial   PRIMARY KEY,
  entity        text        NOT NULL,
  status        text        NOT NULL DEFAULT 'running',  -- running | succeeded | failed | skipped
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  change_seq    bigint,     -- source_record.change_seq covered by this run
  summary       jsonb,
  error         text
);
CREATE INDEX resolve_run_entity ON resolve_run (entity, id DESC);
