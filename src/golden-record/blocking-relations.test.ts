import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES, type EntityType } from '../core/entities';
import { modelsFor } from '../matching/models';
import { prepareRecord, type PrepareContext } from '../matching/prepare';
import { BLOCKING_RELATIONS } from './realtime-resolve';

/** A record of each entity type with every reference and the attributes that blocking keys read. */
const ATTRIBUTES: Record<string, unknown> = {
  kind: 'organization', name: 'Acme GmbH', customerRef: 'C-1', productRef: 'P-1', locationRef: 'L-1', parentRef: 'C-0', assetRefs: ['A-1'],
  serialNumber: 'SN-1002841', partNumber: 'PMP-200', installDate: '2021-03-04', manufactureDate: '2020-01-02', contractNumber: 'K-77',
  startDate: '2021-01-01', endDate: '2023-12-31', postalCode: '10115', city: 'Berlin', street: 'Hauptstr.', houseNumber: '5',
};

/** The relation of each referenced entity type (`recordLinks` in resolve.service). */
const RELATION: Partial<Record<EntityType, string>> = { customer: 'customer', product: 'product', location: 'location', asset: 'asset' };

/** Prepared fields whose value changes when the golden id a reference of `target` resolves to changes. */
function fieldsFollowing(entity: EntityType, target: EntityType): Set<string> {
  const prepare = (key: string) => {
    const context: PrepareContext = { ref: (e, id) => (e === target ? `${key}-${id}` : `G-${e}-${id}`), ownedUnits: () => [] };
    return prepareRecord(entity, { id: 0, source: 'erp', sourceId: 'R-1', attributes: ATTRIBUTES }, context).fields as Record<string, unknown>;
  };
  const [a, b] = [prepare('G1'), prepare('G2')];
  return new Set(Object.keys(a).filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f])));
}

describe('blocking relations of real-time resolution', () => {
  it('hold, for every blocking rule on a reference, a relation whose records share that rule', () => {
    for (const entity of ENTITY_TYPES) {
      const following = new Map((Object.keys(RELATION) as EntityType[]).map((t) => [RELATION[t]!, fieldsFollowing(entity, t)]));
      for (const entry of modelsFor(entity)) {
        for (const rule of entry.model.blocking) {
          const onReferences = [...following].filter(([, fields]) => rule.on.some((f) => fields.has(f))).map(([relation]) => relation);
          if (onReferences.length === 0) continue;
          // An asset's unit keys are its serial with its product: the serial key finds those records.
          if (entity === 'asset' && rule.on.length === 1 && rule.on[0] === 'unitKeys') continue;
          expect(
            onReferences.some((relation) => BLOCKING_RELATIONS[entity].includes(relation)),
            `${entry.name} blocking rule ${rule.name} (${rule.on.join(', ')}) depends on ${onReferences.join(', ')}, none of them in BLOCKING_RELATIONS.${entity}`,
          ).toBe(true);
        }
      }
    }
  });

  it('names only relations some blocking rule uses', () => {
    for (const entity of ENTITY_TYPES) {
      for (const relation of BLOCKING_RELATIONS[entity]) {
        const target = (Object.keys(RELATION) as EntityType[]).find((t) => RELATION[t] === relation)!;
        const fields = fieldsFollowing(entity, target);
        const used = modelsFor(entity).some((entry) => entry.model.blocking.some((rule) => rule.on.some((f) => fields.has(f))));
        expect(used, `${entity} ${relation}`).toBe(true);
      }
    }
  });
});
