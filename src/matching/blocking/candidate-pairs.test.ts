import { describe, expect, it } from 'vitest';
import { seededRandom } from '../clustering/test-random';
import { candidatePairs } from './candidate-pairs';
import { pairTriples, randomRecords, randomRules } from './test-fixtures';
import type { BlockingRule, PreparedRecord } from './types';

const rec = (id: number, fields: PreparedRecord['fields'], source = 'erp'): PreparedRecord => ({ id, source, fields });

describe('candidatePairs', () => {
  it('attributes each pair to the first rule that finds it', () => {
    const records = [
      rec(0, { serial: 'S1', postcode: '80331' }),
      rec(1, { serial: 'S1', postcode: '80331' }), // found by both rules -> rule 0
      rec(2, { serial: 'S9', postcode: '10115' }),
      rec(3, { serial: 'S8', postcode: '10115' }), // found by rule 1 only
    ];
    const rules: BlockingRule[] = [
      { name: 'serial', on: ['serial'] },
      { name: 'postcode', on: ['postcode'] },
    ];
    const res = candidatePairs(records, rules);
    expect(pairTriples(res)).toEqual([
      [0, 1, 0],
      [2, 3, 1],
    ]);
    expect(res.ruleNames).toEqual(['serial', 'postcode']);
    expect(res.stats.map((s) => s.pairs)).toEqual([1, 1]);
    // Reversing the rule order reverses the attribution, not the pair set.
    expect(pairTriples(candidatePairs(records, [rules[1], rules[0]]))).toEqual([
      [0, 1, 0],
      [2, 3, 0],
    ]);
  });

  it('emits a pair once even when several rules and several keys of one rule find it', () => {
    const records = [
      rec(0, { emails: ['a@x', 'b@x', 'c@x'], phone: '1' }),
      rec(1, { emails: ['c@x', 'b@x', 'a@x'], phone: '1' }),
      rec(2, { emails: ['b@x'], phone: '2' }),
    ];
    const res = candidatePairs(records, [
      { name: 'email', on: ['emails'] },
      { name: 'phone', on: ['phone'] },
      { name: 'email-again', on: ['emails'] },
    ]);
    expect(pairTriples(res)).toEqual([
      [0, 1, 0],
      [0, 2, 0],
      [1, 2, 0],
    ]);
    expect(res.stats.map((s) => s.pairs)).toEqual([3, 0, 0]);
    expect(res.stats[0].comparisons).toBe(1 + 3 + 1); // blocks a@x (2), b@x (3), c@x (2)
  });

  it('always emits left < right', () => {
    const records = randomRecords(3, 200);
    const res = candidatePairs(records, randomRules(3));
    for (let i = 0; i < res.count; i++) expect(res.left[i]).toBeLessThan(res.right[i]);
  });

  it('suppresses generic keys: a very common value never builds a giant block, and is reported', () => {
    const records: PreparedRecord[] = [];
    for (let id = 0; id < 1200; id++) {
      // 1000 records share the placeholder 'N/A'; 100 are blank; 100 form real pairs.
      const postcode = id < 1000 ? 'N/A' : id < 1100 ? '   ' : `PC${id >> 1}`;
      records.push(rec(id, { postcode }));
    }
    const res = candidatePairs(records, [{ name: 'postcode', on: ['postcode'] }], { maxBlockSize: 500 });
    expect(res.count).toBe(50);
    for (let i = 0; i < res.count; i++) expect(res.left[i]).toBeGreaterThanOrEqual(1100);
    const stats = res.stats[0];
    expect(stats.suppressedKeys).toEqual([{ key: 'N/A', size: 1000 }]);
    expect(stats.largestBlocks.every((b) => b.size <= 500)).toBe(true);
    // Blank values give no key at all, so they never form a block.
    expect(stats.recordsWithKey).toBe(1100);
    expect(stats.keys).toBe(51);
  });

  it('applies a rule-level maxBlockSize over the run default', () => {
    const records = Array.from({ length: 30 }, (_, id) => rec(id, { city: 'MUNICH', pc: `P${id % 3}` }));
    const rules: BlockingRule[] = [
      { name: 'city', on: ['city'], maxBlockSize: 20 },
      { name: 'pc', on: ['pc'] },
    ];
    const res = candidatePairs(records, rules, { maxBlockSize: 1000 });
    expect(res.stats[0].suppressedKeys).toEqual([{ key: 'MUNICH', size: 30 }]);
    expect(res.stats[0].pairs).toBe(0);
    expect(res.stats[1].pairs).toBe(3 * 45);
  });

  it('attributes a pair to a later rule when its earlier shared key was suppressed', () => {
    const records = Array.from({ length: 10 }, (_, id) => rec(id, { country: 'DE', pc: id < 2 ? 'P1' : `Q${id}` }));
    const res = candidatePairs(records, [
      { name: 'country', on: ['country'], maxBlockSize: 5 },
      { name: 'pc', on: ['pc'] },
    ]);
    expect(pairTriples(res)).toEqual([[0, 1, 1]]);
  });

  it('excludes same-source pairs when linking only', () => {
    const records = [
      rec(0, { pc: 'A' }, 'erp'),
      rec(1, { pc: 'A' }, 'erp'),
      rec(2, { pc: 'A' }, 'crm'),
      rec(3, { pc: 'B' }, 'crm'),
      rec(4, { pc: 'B' }, 'crm'),
    ];
    const rules = [{ name: 'pc', on: ['pc'] }];
    expect(pairTriples(candidatePairs(records, rules))).toHaveLength(4);
    expect(pairTriples(candidatePairs(records, rules, { linkOnly: true }))).toEqual([
      [0, 2, 0],
      [1, 2, 0],
    ]);
  });

  it('does not depend on the order of the records array', () => {
    const records = randomRecords(11, 250);
    const rules = randomRules(11);
    const base = candidatePairs(records, rules);
    const shuffled = seededRandom(5).shuffle([...records]);
    const other = candidatePairs(shuffled, rules);
    expect(Array.from(other.left)).toEqual(Array.from(base.left));
    expect(Array.from(other.right)).toEqual(Array.from(base.right));
    expect(Array.from(other.rule)).toEqual(Array.from(base.rule));
  });

  it('incremental: pairs for new ids equal the full run restricted to pairs touching them', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const records = randomRecords(100 + seed, 300);
      const rules = randomRules(100 + seed);
      const rnd = seededRandom(seed);
      const newIds = records.filter(() => rnd.next() < 0.1).map((r) => r.id);
      const isNew = new Set(newIds);
      for (const linkOnly of [false, true]) {
        const full = pairTriples(candidatePairs(records, rules, { linkOnly }));
        const expected = full.filter(([a, b]) => isNew.has(a) || isNew.has(b));
        const incremental = candidatePairs(records, rules, { linkOnly, newIds });
        expect(pairTriples(incremental)).toEqual(expected);
        // Block statistics still describe all records, so suppression is identical.
        expect(incremental.stats.map((s) => s.suppressedKeys)).toEqual(
          candidatePairs(records, rules, { linkOnly }).stats.map((s) => s.suppressedKeys),
        );
      }
    }
  });

  it('incremental with every id new equals the full run; with none it is empty', () => {
    const records = randomRecords(77, 200);
    const rules = randomRules(77);
    const full = pairTriples(candidatePairs(records, rules));
    expect(pairTriples(candidatePairs(records, rules, { newIds: records.map((r) => r.id) }))).toEqual(full);
    expect(candidatePairs(records, rules, { newIds: [] }).count).toBe(0);
  });

  it('rejects ids that are not dense', () => {
    expect(() => candidatePairs([rec(1, {})], [])).toThrow(RangeError);
    expect(() => candidatePairs([rec(0, {}), rec(0, {})], [])).toThrow(RangeError);
    expect(() => candidatePairs([rec(0, {})], [], { newIds: [3] })).toThrow(RangeError);
  });

  it('handles no records and no rules', () => {
    expect(candidatePairs([], [{ name: 'x', on: ['x'] }]).count).toBe(0);
    expect(candidatePairs([rec(0, { x: '1' }), rec(1, { x: '1' })], []).count).toBe(0);
  });
});
