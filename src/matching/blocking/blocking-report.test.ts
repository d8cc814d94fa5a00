import { describe, expect, it } from 'vitest';
import { blockingReport, formatBlockingReport } from './blocking-report';
import { candidatePairs } from './candidate-pairs';
import type { PreparedRecord } from './types';

function records(): PreparedRecord[] {
  const out: PreparedRecord[] = [];
  for (let id = 0; id < 700; id++) {
    out.push({
      id,
      source: id % 2 === 0 ? 'erp' : 'crm',
      fields: {
        // 600 records carry the placeholder '0000'; the rest pair up.
        serial: id < 600 ? '0000' : `SN-${id >> 1}`,
        // Blocks of 7 records.
        postcode: `P${Math.floor(id / 7)}`,
        city: id < 10 ? 'MUNICH' : null,
      },
    });
  }
  return out;
}

describe('blockingReport', () => {
  const rules = [
    { name: 'serial', on: ['serial'] },
    { name: 'postcode', on: ['postcode'] },
    { name: 'city', on: ['city'], maxBlockSize: 5 },
  ];
  const res = candidatePairs(records(), rules, { maxBlockSize: 500 });
  const report = blockingReport(res, { top: 3 });

  it('counts pairs per rule and cumulatively', () => {
    expect(report.records).toBe(700);
    expect(report.totalPairs).toBe(res.count);
    expect(report.crossProductPairs).toBe((700 * 699) / 2);
    const serial = report.rules[0];
    const postcode = report.rules[1];
    expect(serial.pairs).toBe(50);
    // 100 blocks of 7 -> 2100 pairs, minus the serial pairs inside one postcode block:
    // (2k, 2k+1) straddles two blocks when 2k+1 is a multiple of 7 (609, 623, ..., 693: 7 of 50).
    expect(postcode.comparisons).toBe(2100);
    expect(postcode.pairs).toBe(2100 - 43);
    expect(postcode.cumulativePairs).toBe(50 + 2057);
    expect(report.rules[2].pairs).toBe(0);
    expect(report.rules[2].cumulativePairs).toBe(2107);
  });

  it('lists keys, the largest blocks and the suppressed generic keys', () => {
    const [serial, postcode, city] = report.rules;
    expect(serial.keys).toBe(51);
    expect(serial.suppressedKeys).toEqual([{ key: '0000', size: 600 }]);
    expect(serial.suppressedRecords).toBe(600);
    expect(postcode.largestBlocks).toHaveLength(3);
    expect(postcode.largestBlocks.every((b) => b.size === 7)).toBe(true);
    expect(postcode.suppressedKeys).toEqual([]);
    expect(city.suppressedKeys).toEqual([{ key: 'MUNICH', size: 10 }]);
    expect(city.maxBlockSize).toBe(5);
    expect(city.recordsWithKey).toBe(10);
  });

  it('renders a readable text', () => {
    const text = formatBlockingReport(report);
    expect(text).toContain('records 700');
    expect(text).toContain('rule 1 "serial": 50 pairs');
    expect(text).toContain('suppressed generic keys');
    expect(text).toContain('"0000" (600)');
    expect(text).toContain('"MUNICH" (10)');
  });

  it('shows multi-field keys with readable separators', () => {
    const recs: PreparedRecord[] = [0, 1].map((id) => ({ id, source: 'erp', fields: { a: 'X', b: 'Y' } }));
    const text = formatBlockingReport(blockingReport(candidatePairs(recs, [{ name: 'ab', on: ['a', 'b'] }])));
    expect(text).toContain('"X | Y" (2)');
  });
});
