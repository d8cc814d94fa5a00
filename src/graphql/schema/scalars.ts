import { GraphQLError, Kind } from 'graphql/index.js';
import { builder } from '../builder';

// Timestamps the database can compare with: years 1 to 9999 (JavaScript dates reach 271821 BC).
const inRange = (date: Date) => date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999;

/** ISO-8601 timestamps in UTC, e.g. `2026-03-01T10:00:00.000Z`. */
builder.scalarType('DateTime', {
  description: 'An ISO-8601 timestamp in UTC, e.g. 2026-03-01T10:00:00.000Z.',
  serialize: (value) => (value instanceof Date ? value : new Date(String(value))).toISOString(),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new GraphQLError(`DateTime expects an ISO-8601 string, got ${JSON.stringify(value)}`);
    if (!inRange(date)) throw new GraphQLError(`DateTime ${JSON.stringify(value)} is out of range (years 0001 to 9999)`);
    return date;
  },
  parseLiteral: (ast) => {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime expects an ISO-8601 string');
    if (!inRange(date)) throw new GraphQLError(`DateTime ${JSON.stringify(ast.kind === Kind.STRING ? ast.value : '')} is out of range (years 0001 to 9999)`);
    return date;
  },
});

/** Arbitrary JSON (attributes until they get typed fields). Output only in practice. */
builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
});
