import { describe, expect, it } from 'vitest';
import { candidates, context, rec } from '../test-records';
import { mostRecent } from './most-recent';

describe('mostRecent', () => {
  it('keeps the value updated last', () => {
    const records = [
      rec('erp', 'E', { status: 'active' }, { updatedAt: '2025-06-01T00:00:00Z' }),
      rec('crm', 'C', { status: 'blocked' }, { updatedAt: '2026-02-01T00:00:00Z' }),
      rec('fsm', 'F', { status: 'inactive' }, { updatedAt: '2025-12-01T00:00:00Z' }),
    ];
    const { kept, reason } = mostRecent().select(candidates(records, 'status'), context());
    expect(kept.map((c) => c.value)).toEqual(['blocked']);
    expect(reason).toContain('2026-02-01T00:00:00.000Z');
  });

  it('falls back to receivedAt when the source gave no updatedAt', () => {
    const records = [
      rec('erp', 'E', { status: 'active' }, { updatedAt: '2026-01-10T00:00:00Z' }),
      rec('fsm', 'F', { status: 'scrapped' }, { updatedAt: null, receivedAt: '2026-02-20T00:00:00Z' }),
    ];
    expect(mostRecent().select(candidates(records, 'status'), context()).kept.map((c) => c.value)).toEqual(['scrapped']);
  });

  it('keeps all candidates with the same time', () => {
    const records = [rec('erp', 'E', { status: 'a' }), rec('crm', 'C', { status: 'b' })];
    expect(mostRecent().select(candidates(records, 'status'), context()).kept).toHaveLength(2);
  });
});
