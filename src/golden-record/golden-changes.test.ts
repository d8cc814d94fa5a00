import { describe, expect, it } from 'vitest';
import { fixedClock } from '../survivorship';
import { type GoldenChangeInput, planGoldenChanges } from './golden-changes';
import type { ResolutionRecord } from './resolution.repository';

const record = (recordId: string, source: string, sourceId: string, attributes: Record<string, unknown>): ResolutionRecord => ({
  recordId, source, sourceId, attributes, version: 1, updatedAt: '2026-01-0' + recordId + 'T00:00:00Z', receivedAt: '2026-02-01T00:00:00Z', changeSeq: recordId,
});

function input(): GoldenChangeInput {
  const records = [
    record('1', 'erp', '100', { kind: 'organization', name: 'Krüger Maschinenbau GmbH', street: 'Industriestr. 12', city: 'Stuttgart', phone: '+49 711 123456' }),
    record('2', 'crm', 'A', { kind: 'organization', name: 'Krueger Maschinenbau', street: 'Industriestraße 12', city: 'Stuttgart', email: 'info@krueger-mb.de' }),
    record('3', 'fsm', 'x', { kind: 'organization', name: 'KRÜGER MASCHINENBAU', city: 'Stuttgart', phone: '+49 711 654321' }),
    record('4', 'crm', 'B', { kind: 'organization', name: 'Testa Termotecnica', city: 'Vicenza' }),
  ];
  return {
    entity: 'customer',
    records,
    clusters: [[0, 1, 2], [3]],
    assignment: { ids: ['g1', 'g2'], created: [{ id: 'g1', cluster: 0, splitFrom: null }, { id: 'g2', cluster: 1, splitFrom: null }], merged: [], retired: [] },
    attachments: new Map(),
    previousChangeSeq: null,
    stored: new Map(),
    pins: new Map(),
    clock: fixedClock('2026-03-01T00:00:00Z'),
  };
}

describe('planGoldenChanges', () => {
  it('plans the same writes and events when new golden records are survived as they are written', () => {
    const eager = planGoldenChanges(input());
    const survived: string[][] = [];
    const deferred = planGoldenChanges({ ...input(), deferNew: true, onSurvived: (members) => survived.push(members.map((r) => r.recordId)) });
    expect(deferred.writes.every((w) => w.attributes === undefined && typeof w.survive === 'function')).toBe(true);
    expect(survived).toEqual([]);
    const written = deferred.writes.map(({ survive, ...w }) => ({ ...w, attributes: survive!() }));
    expect(written).toEqual(eager.writes);
    expect(survived).toEqual([['1', '2', '3'], ['4']]);
    expect(deferred.events).toEqual(eager.events);
    expect(deferred.moves).toEqual(eager.moves);
    expect(deferred.attach).toEqual(eager.attach);
    expect(eager.writes[0].attributes).toHaveProperty('name');
  });
});
