import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { printGraphqlSchema } from '../../src/graphql/graphql-schema';

const SNAPSHOT = fileURLToPath(new URL('../../docs/schema.graphql', import.meta.url));

describe('GraphQL schema', () => {
  it('matches the reviewed SDL in docs/schema.graphql (regenerate: UPDATE_SCHEMA=1 npx vitest run test/graphql/schema.test.ts)', () => {
    const printed = printGraphqlSchema();
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(SNAPSHOT, printed);
    let stored = '';
    try {
      stored = readFileSync(SNAPSHOT, 'utf8');
    } catch {
      // Missing snapshot: the comparison below fails with the whole schema as the difference.
    }
    expect(printed, 'the schema changed: review the difference, then run UPDATE_SCHEMA=1 npx vitest run test/graphql/schema.test.ts').toBe(stored);
  });

  it('declares the read scope on every query field (no data without a key); the queue needs steward', async () => {
    const { graphqlSchema } = await import('../../src/graphql/graphql-schema');
    const fields = graphqlSchema().getQueryType()!.getFields();
    expect(Object.keys(fields).sort()).toEqual([
      'entitlement', 'goldenRecord', 'goldenRecordByXref', 'goldenRecords', 'goldenRecordsConnection', 'matchCandidates', 'matchQueue', 'translateId',
    ]);
    for (const [name, field] of Object.entries(fields)) {
      const options = (field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions;
      expect(options?.authScopes, name).toEqual(name === 'matchQueue' ? { steward: true } : { read: true });
    }
  });

  it('declares a scope on every subscription field', async () => {
    const { graphqlSchema } = await import('../../src/graphql/graphql-schema');
    const fields = graphqlSchema().getSubscriptionType()!.getFields();
    expect(Object.keys(fields).sort()).toEqual(['goldenRecordChanged', 'matchQueueChanged']);
    expect((fields.goldenRecordChanged.extensions as any).pothosOptions.authScopes).toEqual({ read: true });
    expect((fields.matchQueueChanged.extensions as any).pothosOptions.authScopes).toEqual({ steward: true });
  });
});
