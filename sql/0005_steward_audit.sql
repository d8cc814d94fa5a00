-- Audit of every steward action: who, when, why, what it was applied to, before and after.
CREATE TABLE steward_audit (
  id          bigserial   PRIMARY KEY,
  action      text        NOT NULL,   -- merge | not-a-match | split | move | pin | override | lock | unlock | defer
  entity      text        NOT NULL,
  golden_ids  text[]      NOT NULL,
  actor       text        NOT NULL,
  reason      text,
  before      jsonb,
  after       jsonb,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX steward_audit_time ON steward_audit (created_at DESC);
CREATE INDEX steward_audit_golden ON steward_audit USING gin (golden_ids);
