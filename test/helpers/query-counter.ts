import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';

/**
 * Counts the SQL statements Kysely sends through a handle it is plugged into.
 *
 * @example
 * ```ts
 * const counter = new QueryCounter();
 * await database.db.withPlugin(counter).selectFrom('golden_record').selectAll().execute();
 * counter.count; // 1
 * ```
 */
export class QueryCounter implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
