import { describe, expect, it } from 'vitest';
import { assignGoldenIds, type ClusterMember, type ExistingGolden } from './assign-golden-ids';

const m = (recordId: string, goldenId: string | null, attachedAt = 0): ClusterMember => ({ recordId, goldenId, attachedAt });
const goldens = (...list: Array<[string, number]>) => new Map<string, ExistingGolden>(list.map(([id, createdAt]) => [id, { id, createdAt }]));
let counter = 0;
const fresh = () => `N${++counter}`;

describe('assignGoldenIds', () => {
  it('keeps every id when nothing changed', () => {
    const r = assignGoldenIds([[m('1', 'A'), m('2', 'A')], [m('3', 'B')]], goldens(['A', 1], ['B', 2]), fresh);
    expect(r).toEqual({ ids: ['A', 'B'], created: [], merged: [], retired: [] });
  });

  it('gives new records a new id and attaches a new member to its existing golden record', () => {
    const r = assignGoldenIds([[m('1', 'A'), m('4', null)], [m('5', null)]], goldens(['A', 1]), () => 'NEW');
    expect(r.ids).toEqual(['A', 'NEW']);
    expect(r.created).toEqual([{ id: 'NEW', cluster: 1, splitFrom: null }]);
  });

  it('on a merge keeps the oldest golden id and redirects the others', () => {
    const r = assignGoldenIds([[m('1', 'B'), m('2', 'A'), m('3', 'C')]], goldens(['A', 5], ['B', 1], ['C', 9]), fresh);
    expect(r.ids).toEqual(['B']);
    expect(r.merged).toEqual([{ loser: 'A', winner: 'B' }, { loser: 'C', winner: 'B' }]);
  });

  it('on a split the part holding the oldest member keeps the id; the other part records its origin', () => {
    const r = assignGoldenIds([[m('2', 'A', 20)], [m('1', 'A', 10)]], goldens(['A', 1]), () => 'NEW');
    expect(r.ids).toEqual(['NEW', 'A']);
    expect(r.created).toEqual([{ id: 'NEW', cluster: 0, splitFrom: 'A' }]);
  });

  it('keeps the id with the part that holds most members (retraining), even without the oldest one', () => {
    const r = assignGoldenIds([[m('1', 'A', 1)], [m('2', 'A', 5), m('3', 'A', 6), m('4', 'A', 7)]], goldens(['A', 1]), () => 'NEW');
    expect(r.ids).toEqual(['NEW', 'A']);
  });

  it('retires a golden record none of whose members remain', () => {
    const r = assignGoldenIds([[m('1', 'A')]], goldens(['A', 1], ['B', 2]), fresh);
    expect(r.retired).toEqual(['B']);
  });

  it('does not depend on the order of the clusters', () => {
    const clusters = [[m('1', 'A', 1), m('2', 'B', 2)], [m('3', 'A', 3)], [m('4', null)]];
    const g = goldens(['A', 1], ['B', 2]);
    const a = assignGoldenIds(clusters, g, (c) => `N-${clusters[c][0].recordId}`);
    const reversed = [...clusters].reverse();
    const b = assignGoldenIds(reversed, g, (c) => `N-${reversed[c][0].recordId}`);
    expect(a.ids).toEqual([...b.ids].reverse());
    expect(a.merged).toEqual(b.merged);
  });
});
