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

export interface GoldenRecordTable {
  id: string;
  entity: string;
  status: Generated<string>;
  merged_into: string | null;
  split_from: string | null;
  locked: Generated<boolean>;
  version: Generated<number>;
  attributes: JSONColumnType<Record<string, unknown>> | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface XrefTable {
  record_id: string;
  entity: string;
  source: string;
  source_id: string;
  golden_id: string;
  attached_at: Generated<Date>;
}

export interface GoldenRedirectTable {
  from_id: string;
  to_id: string;
  reason: string;
  created_at: Generated<Date>;
}

export interface MatchPairTable {
  id: Generated<string>;
  entity: string;
  left_record_id: string;
  right_record_id: string;
  weight: number;
  probability: number;
  blocking_rule: string | null;
  reason: string;
  explanation: JSONColumnType<unknown[]>;
  status: Generated<string>;
  priority: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface StewardDecisionTable {
  id: Generated<string>;
  entity: string;
  kind: string;
  left_record_id: string;
  right_record_id: string;
  actor: string;
  reason: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface MatchModelTable {
  id: Generated<string>;
  entity: string;
  name: string;
  version: number;
  model: JSONColumnType<Record<string, unknown>>;
  report: JSONColumnType<Record<string, unknown>> | null;
  created_at: Generated<Date>;
}

export interface ResolveRunTable {
  id: Generated<string>;
  entity: string;
  status: Generated<string>;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  change_seq: string | null;
  summary: JSONColumnType<Record<string, unknown>> | null;
  error: string | null;
}

export interface GoldenHistoryTable {
  golden_id: string;
  version: number;
  entity: string;
  status: string;
  merged_into: string | null;
  attributes: JSONColumnType<Record<string, unknown>> | null;
  members: JSONColumnType<string[]>;
  change: string;
  valid_from: Generated<Date>;
  valid_to: Timestamp | null;
}

export interface XrefMoveTable {
  id: Generated<string>;
  record_id: string;
  entity: string;
  source: string;
  source_id: string;
  from_golden: string | null;
  to_golden: string | null;
  reason: string;
  moved_at: Generated<Date>;
}

export interface RecordLinkTable {
  record_id: string;
  relation: string;
  target_entity: string;
  target_source: string;
  target_source_id: string;
}

export interface GoldenLinkView {
  from_id: string;
  from_entity: string;
  relation: string;
  to_id: string;
  to_entity: string;
}

export interface GoldenPinTable {
  id: Generated<string>;
  golden_id: string;
  attribute: string;
  kind: string;
  record_id: string | null;
  value: JSONColumnType<object> | null;
  actor: string;
  reason: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface OutboxTable {
  id: Generated<string>;
  event_type: string;
  entity: string;
  golden_id: string;
  golden_version: number;
  payload: JSONColumnType<Record<string, unknown>>;
  correlation_id: string | null;
  created_at: Generated<Date>;
}

export interface StewardAuditTable {
  id: Generated<string>;
  action: string;
  entity: string;
  golden_ids: string[];
  actor: string;
  reason: string | null;
  before: JSONColumnType<Record<string, unknown>> | null;
  after: JSONColumnType<Record<string, unknown>> | null;
  created_at: Generated<Date>;
}

export interface InboxEventTable {
  id: Generated<string>;
  source: string;
  event_id: string;
  kind: string;
  outcome: string | null;
  entity: string;
  source_id: string | null;
  payload: JSONColumnType<Record<string, unknown>>;
  correlation_id: string | null;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  claimed_by: string | null;
  claimed_until: Date | null;
  last_error: string | null;
  received_at: Generated<Date>;
  processed_at: Date | null;
}

export interface DB {
  inbox_event: InboxEventTable;
  steward_audit: StewardAuditTable;
  golden_history: GoldenHistoryTable;
  xref_move: XrefMoveTable;
  record_link: RecordLinkTable;
  golden_link: GoldenLinkView;
  golden_pin: GoldenPinTable;
  outbox: OutboxTable;
  golden_record: GoldenRecordTable;
  xref: XrefTable;
  golden_redirect: GoldenRedirectTable;
  match_pair: MatchPairTable;
  steward_decision: StewardDecisionTable;
  match_model: MatchModelTable;
  resolve_run: ResolveRunTable;
  ingest_run: IngestRunTable;
  source_record: SourceRecordTable;
  source_record_history: SourceRecordHistoryTable;
  quarantine: QuarantineTable;
  schema_migration: SchemaMigrationTable;
}
