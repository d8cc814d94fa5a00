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

  it('declares a scope on every query field (no data without a key): read, steward for the queue, admin for subscribers', async () => {
    const { graphqlSchema } = await import('../../src/graphql/graphql-schema');
    const fields = graphqlSchema().getQueryType()!.getFields();
    const scopes: Record<string, Record<string, boolean>> = {
      deadLetters: { admin: true }, entitlement: { read: true }, goldenRecord: { read: true }, goldenRecordByXref: { read: true },
      goldenRecords: { read: true }, goldenRecordsConnection: { read: true }, matchCandidates: { read: true }, matchQueue: { steward: true },
      mergePreview: { read: true }, mergePreviewForPair: { steward: true }, subscribers: { admin: true }, translateId: { read: true },
    };
    expect(Object.keys(fields).sort()).toEqual(Object.keys(scopes));
    for (const [name, field] of Object.entries(fields)) {
      const options = (field.extensions as { pothosOptions?: { authScopes?: unknown } }).pothosOptions;
      expect(options?.authScopes, name).toEqual(scopes[name]);
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
