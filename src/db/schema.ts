import type { ColumnType, Generated, JSONColumnType } from 'kysely';

/** Kysely table types. Names follow the SQL in sql/. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface IngestRunTable {
  id: Generated<string>;
  kind: string;
  source: string | null;
  entity: string | null;
  file: string | null;
  mode: string | null;
  status: Generated<string>;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  read_count: Generated<number>;
  inserted_count: Generated<number>;
  updated_count: Generated<number>;
  unchanged_count: Generated<number>;
  stale_count: Generated<number>;
  deleted_count: Generated<number>;
  quarantined_count: Generated<number>;
  error: string | null;
}

export interface SourceRecordTable {
  id: Generated<string>;
  entity: string;
  source: string;
  source_id: string;
  updated_at: Timestamp | null;
  deleted: Generated<boolean>;
  content_hash: string;
  attributes: JSONColumnType<Record<string, unknown>>;
  raw: JSONColumnType<Record<string, unknown>>;
  version: Generated<number>;
  change_seq: Generated<string>;
  first_seen_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  first_run_id: string | null;
  last_run_id: string | null;
}

export interface SourceRecordHistoryTable {
  id: Generated<string>;
  record_id: string;
  version: number;
  updated_at: Timestamp | null;
  deleted: boolean;
  content_hash: string;
  attributes: JSONColumnType<Record<string, unknown>>;
  raw: JSONColumnType<Record<string, unknown>>;
  run_id: string | null;
  valid_from: Timestamp;
  valid_to: Generated<Date>;
}

export interface QuarantineTable {
  id: Generated<string>;
  run_id: string | null;
  source: string | null;
  entity: string | null;
  source_id: string | null;
  file: string | null;
  line: number | null;
  excerpt: string;
  reason: string;
  created_at: Generated<Date>;
}

export interface SchemaMigrationTable {
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

export interface DB {
  ingest_run: IngestRunTable;
  source_record: SourceRecordTable;
  source_record_history: SourceRecordHistoryTable;
  quarantine: QuarantineTable;
  schema_migration: SchemaMigrationTable;
}
