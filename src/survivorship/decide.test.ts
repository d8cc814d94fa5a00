import { describe, expect, it } from 'vitest';
import { decide } from './decide';
import { mostComplete } from './strategies/most-complete';
import { mostFrequent } from './strategies/most-frequent';
import { mostRecent } from './strategies/most-recent';
import { sourcePriority } from './strategies/source-priority';
import { candidates, context, rec, shuffled } from './test-records';

describe('decide', () => {
  it('lets the first strategy that leaves one value decide', () => {
    const records = [
      rec('crm', 'C', { name: 'Krueger' }, { updatedAt: '2026-02-01T00:00:00Z' }),
      rec('erp', 'E', { name: 'Krüger Maschinenbau GmbH' }, { updatedAt: '2025-01-01T00:00:00Z' }),
    ];
    const d = decide(candidates(records, 'name'), [sourcePriority(['erp', 'crm']), mostRecent()], context());
    expect(d.winner.value).toBe('Krüger Maschinenbau GmbH');
    expect(d.strategy).toBe('sourcePriority');
  });

  it('falls back to the next strategy when the priority source lacks the value', () => {
    const records = [
      rec('erp', 'E', { email: '' }),
      rec('crm', 'C1', { email: 'old@krueger.de' }, { updatedAt: '2025-01-01T00:00:00Z' }),
      rec('fsm', 'F', { email: 'new@krueger.de' }, { updatedAt: '2026-02-01T00:00:00Z' }),
    ];
    const strategies = [sourcePriority(['erp']), mostRecent()];
    const d = decide(candidates(records, 'email'), strategies, context());
    expect(d.winner.value).toBe('new@krueger.de');
    expect(d.strategy).toBe('mostRecent');
  });

  it('later strategies break ties among the candidates the earlier ones left', () => {
    const records = [
      rec('crm', 'C1', { name: 'Krueger' }),
      rec('crm', 'C2', { name: 'Krüger Maschinenbau GmbH' }),
      rec('erp', 'E', { name: 'Krüger Maschinenbau Gesellschaft mit beschränkter Haftung' }),
    ];
    const d = decide(candidates(records, 'name'), [sourcePriority(['crm']), mostComplete()], context());
    expect(d.winner.value).toBe('Krüger Maschinenbau GmbH');
    expect(d.strategy).toBe('mostComplete');
  });

  it('reports agreement as onlyValue and still picks the preferred record', () => {
    const records = [rec('crm', 'C', { city: 'ulm' }), rec('erp', 'E', { city: 'Ulm' })];
    const d = decide(candidates(records, 'city'), [sourcePriority(['erp', 'crm'])], context());
    expect(d.strategy).toBe('onlyValue');
    expect(d.reason).toBe('all 2 records agree');
    expect(d.winner.record.source).toBe('erp');
  });

  it('breaks a remaining tie by (source, sourceId) whatever the input order', () => {
    const records = [rec('fsm', 'B', { x: 'b' }), rec('crm', 'Z', { x: 'z' }), rec('crm', 'A', { x: 'a' })];
    for (let seed = 1; seed <= 10; seed++) {
      const d = decide(candidates(shuffled(records, seed), 'x'), [mostFrequent()], context());
      expect(d.winner.value).toBe('a');
      expect(d.strategy).toBe('tieBreak');
    }
  });

  it('never lets an empty value win', () => {
    const records = [rec('erp', 'E', { phone: '  ' }), rec('crm', 'C', { phone: null }), rec('fsm', 'F', { phone: '+49 1' })];
    const list = candidates(records, 'phone');
    expect(list.map((c) => c.record.source)).toEqual(['fsm']);
    expect(decide(list, [sourcePriority(['erp', 'crm', 'fsm'])], context()).strategy).toBe('onlyValue');
  });

  it('refuses an empty candidate list', () => {
    expect(() => decide([], [], context('price'))).toThrow(/price/);
  });
});
