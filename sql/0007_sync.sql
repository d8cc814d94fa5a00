-- Source-system sync: how far each feed of each source has been read.
-- A feed is one object of a source system (A_BusinessPartner, Account, alm_asset, ...), read in
-- (change stamp, key) order. The position moves only after the records up to it are stored.

CREATE TABLE sync_watermark (
  source        text        NOT NULL,
  feed          text        NOT NULL,
  entities      text        NOT NULL,            -- canonical entity types the feed yields, comma separated
  stamp         timestamptz NOT NULL,            -- change stamp of the last record stored
  last_key      text        NOT NULL,            -- key of the last record stored (ties on the stamp)
  run_id        bigint      REFERENCES ingest_run (id),
  mode          text        NOT NULL,            -- full | delta: the run that moved it last
  full_sync_at  timestamptz,                     -- when the last complete full sync of this feed ended
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, feed)
);
