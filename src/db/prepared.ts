import { createHash } from 'node:crypto';
import { type Compilable, type Kysely, type QueryResult, type RawBuilder, sql } from 'kysely';

/**
 * Named (server-side prepared) statements for the hot key lookups of the read API.
 *
 * An ordinary query is parsed and planned by PostgreSQL every time; for a lookup by key that
 * planning costs about twice the execution (pg_stat_statements on the 1M hub: 0.37 ms planning,
 * 0.18 ms execution for a cross-reference translation). A statement run through `executePrepared`
 * is parsed once per connection and planned once (a generic plan: the hub's PostgreSQL connections
 * set `plan_cache_mode = force_generic_plan`, which applies to named statements only), then only
 * bound and executed.
 *
 * Rules for a statement run this way:
 * - its SQL text must not depend on the number of keys (pass arrays: `= ANY($1::text[])`,
 *   `unnest($1::text[], $2::text[])`), or every batch size would be a statement of its own;
 * - its best plan must not depend on the values (a lookup by a unique or selective key), since the
 *   plan is made once without them.
 *
 * The embedded database and `MDM_PG_PREPARED=0` (a connection pooler in transaction mode, which
 * cannot keep statements across transactions) run the same text as an ordinary query.
 *
 * @example
 * ```ts
 * const { rows } = await executePrepared(db, sql<{ id: string }>`SELECT id FROM golden_record WHERE id = ANY(${ids}::text[])`);
 * ```
 */
export async function executePrepared<R>(db: Kysely<any>, query: Compilable<R> | RawBuilder<R>): Promise<QueryResult<R>> {
  const compiled = 'isRawBuilder' in query ? query.compile(db) : query.compile();
  statementName(compiled.sql, true);
  return db.executeQuery(compiled);
}

/** At most this many distinct texts are named; a text past the bound runs as an ordinary query. */
export const MAX_PREPARED_STATEMENTS = 200;

const names = new Map<string, string>();

/**
 * The statement name of a SQL text marked by `executePrepared` (`register` marks it), or undefined
 * for any other text. The name is derived from the text, so the same name always means the same text.
 */
export function statementName(text: string, register = false): string | undefined {
  const known = names.get(text);
  if (known !== undefined || !register || names.size >= MAX_PREPARED_STATEMENTS) return known;
  const name = `mdm_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
  names.set(text, name);
  return name;
}

/** Whether named statements are used on PostgreSQL connections (`MDM_PG_PREPARED`, default on). */
export function preparedStatementsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = (env.MDM_PG_PREPARED ?? '').trim().toLowerCase();
  return !(v === '0' || v === 'false' || v === 'off' || v === 'no');
}

/**
 * `= ANY($1::text[])`: one parameter for any number of text keys, so that the statement's text
 * stays the same (use with `.where(column, '=', anyOf(keys))`).
 */
export function anyOf(values: readonly string[]): RawBuilder<string> {
  return sql<string>`ANY(${[...values]}::text[])`;
}
