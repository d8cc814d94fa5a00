import { describe, expect, it } from 'vitest';
import { context, rec } from '../test-records';
import { groupCandidates, surviveGroup } from './group';
import { mostComplete } from './most-complete';
import { sourcePriority } from './source-priority';

const members = ['street', 'houseNumber', 'addressLine2', 'postalCode', 'city', 'region', 'country'];

describe('group survivorship', () => {
  const records = [
    rec('erp', 'E', { street: 'Industriestr.', houseNumber: '12', postalCode: '70565', city: 'Stuttgart', country: 'DE' }),
    rec('crm', 'C', { street: 'Hauptstraße', houseNumber: '1', addressLine2: 'Tor 3', postalCode: '89073', city: 'Ulm', region: 'BW', country: 'DE' }),
    rec('fsm', 'F', { street: '', city: '', name: 'Site A' }),
  ];

  it('builds one candidate per record with a non-empty group', () => {
    expect(groupCandidates(records, members).map((c) => c.record.source)).toEqual(['crm', 'erp']);
  });

  it('takes every member from the one chosen record, never filling gaps from another', () => {
    const d = surviveGroup(records, members, [sourcePriority(['erp', 'crm'])], context('address'));
    expect(d?.winner.record.source).toBe('erp');
    expect(d?.winner.value).toEqual({ street: 'Industriestr.', houseNumber: '12', postalCode: '70565', city: 'Stuttgart', country: 'DE' });
    expect(d?.winner.value).not.toHaveProperty('addressLine2');
    expect(d?.winner.value).not.toHaveProperty('region');
  });

  it("applies the group's own strategies to whole groups", () => {
    const d = surviveGroup(records, members, [mostComplete()], context('address'));
    expect(d?.winner.record.source).toBe('crm');
    expect(d?.strategy).toBe('mostComplete');
  });

  it('returns nothing when no record has the group', () => {
    expect(surviveGroup([records[2]], members, [], context('address'))).toBeUndefined();
  });
});
