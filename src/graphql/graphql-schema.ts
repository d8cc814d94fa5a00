import { type GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql/index.js';
import { builder } from './builder';
import './schema/index';

let built: GraphQLSchema | undefined;

/**
 * The hub's GraphQL schema, built once per process.
 *
 * @example
 * ```ts
 * const schema = graphqlSchema();
 * schema.getQueryType()?.getFields().translateId; // defined
 * ```
 */
export function graphqlSchema(): GraphQLSchema {
  built ??= builder.toSchema({ sortSchema: false });
  return built;
}

/** The schema as SDL, types sorted by name: the text snapshotted in docs/schema.graphql. */
export function printGraphqlSchema(): string {
  return `${printSchema(lexicographicSortSchema(graphqlSchema()))}\n`;
}
