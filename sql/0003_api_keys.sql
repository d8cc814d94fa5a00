-- API keys: who may call the hub's HTTP API and with which role. The secret is never stored,
-- only its SHA-256 (see docs/graphql.md, "API keys").

CREATE TABLE api_key (
  id            bigserial   PRIMARY KEY,
  name          text        NOT NULL,
  role          text        NOT NULL,   -- reader | steward | admin | ingest:<source>
  prefix        text        NOT NULL,   -- the public part of the key, for lookup
  secret_hash   text        NOT NULL,   -- hex SHA-256 of the whole key
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz,
  CONSTRAINT api_key_prefix UNIQUE (prefix),
  CONSTRAINT api_key_role CHECK (role IN ('reader', 'steward', 'admin') OR role ~ '^ingest:[a-z0-9_-]{1,40}$')
);
