-- Golden record history, cross-reference moves, links between records, steward pins, outbox.

-- Every version of every golden record: the state it had from valid_from until valid_to.
CREATE TABLE golden_history (
  golden_id    text        NOT NULL REFERENCES golden_record (id),
  version      integer     NOT NULL,
  entity       text        NOT NULL,
  status       text        NOT NULL,
  merged_into  text,
  attributes   jsonb,
  members      jsonb       NOT NULL,       -- ["source|sourceId", ...] attached at that version
  change       text        NOT NULL,       -- created | updated | merged | split | retired | ...
  valid_from   timestamptz NOT NULL DEFAULT now(),
  valid_to     timestamptz,
  PRIMARY KEY (golden_id, version)
);
CREATE INDEX golden_history_time ON golden_history (golden_id, valid_from);

-- Each move of a source record between golden records (attach, move, detach).
CREATE TABLE xref_move (
  id           bigserial   PRIMARY KEY,
  record_id    bigint      NOT NULL REFERENCES source_record (id),
  entity       text        NOT NULL,
  source       text        NOT NULL,
  source_id    text        NOT NULL,
  from_golden  text,
  to_golden    text,
  reason       text        NOT NULL,       -- resolve | merge | split | deleted | steward
  moved_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX xref_move_record ON xref_move (record_id, moved_at);
CREATE INDEX xref_move_time ON xref_move (moved_at);

-- References between source records (customerRef, productRef, assetRefs, ...), one row per target.
-- Golden-to-golden relationships are read through the cross-references (view golden_link), so they
-- follow every merge and split without being rewritten.
CREATE TABLE record_link (
  record_id     bigint NOT NULL REFERENCES source_record (id),
  relation      text   NOT NULL,          -- customer | product | location | parent | asset
  target_entity text   NOT NULL,
  target_source text   NOT NULL,
  target_source_id text NOT NULL,
  PRIMARY KEY (record_id, relation, target_source_id)
);
CREATE INDEX record_link_target ON record_link (target_entity, target_source, target_source_id);

CREATE VIEW golden_link AS
  SELECT DISTINCT fx.golden_id AS from_id, fx.entity AS from_entity, l.relation,
         tx.golden_id AS to_id, tx.entity AS to_entity
  FROM record_link l
  JOIN xref fx ON fx.record_id = l.record_id
  JOIN xref tx ON tx.entity = l.target_entity AND tx.source = l.target_source AND tx.source_id = l.target_source_id;

-- Steward pins (a record's value) and overrides (a typed value) of golden attributes.
CREATE TABLE golden_pin (
  id           bigserial   PRIMARY KEY,
  golden_id    text        NOT NULL REFERENCES golden_record (id),
  attribute    text        NOT NULL,
  kind         text        NOT NULL,      -- pin | override
  record_id    bigint      REFERENCES source_record (id),
  value        jsonb,
  actor        text        NOT NULL,
  reason       text,
  active       boolean     NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX golden_pin_golden ON golden_pin (golden_id) WHERE active;

-- Change events, written in the transaction of the change; delivered later (at least once,
-- in order per golden record by golden_version).
CREATE TABLE outbox (
  id             bigserial   PRIMARY KEY,
  event_type     text        NOT NULL,
  entity         text        NOT NULL,
  golden_id      text        NOT NULL,
  golden_version integer     NOT NULL,
  payload        jsonb       NOT NULL,
  correlation_id text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_golden ON outbox (golden_id, golden_version);
