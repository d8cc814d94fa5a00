import type { Database } from '../../src/db/database';
import { resolve } from '../../src/golden-record/resolve.service';
import { ingestRecords } from './helpers';

/** Number of installed assets (each with its own contract and serial unit) of the linked world's customer. */
export const ASSETS = 50;

const pad = (i: number) => String(i).padStart(3, '0');
const day = (start: string, offset: number) => new Date(Date.parse(`${start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

/**
 * A linked world in the ERP: a customer with a parent, a site, one product, and ASSETS installed
 * assets, each with a serial unit of the same serial number and a contract covering it (contract
 * K-000 expired at the end of 2023; the others run from early 2025 to late 2027).
 */
export const LINKED_RECORDS: Array<Record<string, unknown>> = [
  { entity: 'customer', source: 'erp', sourceId: 'C-PARENT', kind: 'organization', name: 'Vogel Holding SE', taxId: 'DE129273398', postalCode: '10115', city: 'Berlin', country: 'DE' },
  {
    entity: 'customer', source: 'erp', sourceId: 'C-1', kind: 'organization', name: 'Vogel Lebensmittelwerke GmbH', taxId: 'DE813495425',
    street: 'Mühlenweg', houseNumber: '7', postalCode: '33602', city: 'Bielefeld', country: 'DE', phone: '+49 521 998877', parentRef: 'C-PARENT',
  },
  { entity: 'location', source: 'erp', sourceId: 'L-1', name: 'Werk Bielefeld', street: 'Mühlenweg', houseNumber: '7', postalCode: '33602', city: 'Bielefeld', country: 'DE', customerRef: 'C-1' },
  { entity: 'product', source: 'erp', sourceId: 'MAT-700', partNumber: 'HX-700', name: 'Plate heat exchanger HX 700', manufacturer: 'Krüger', gtin: '4006381333948' },
  ...Array.from({ length: ASSETS }, (_, i) => [
    { entity: 'serial', source: 'erp', sourceId: `S-${pad(i)}`, serialNumber: `HX7-${pad(i)}-${(i * 7919) % 9973}`, productRef: 'MAT-700', partNumber: 'HX-700' },
    {
      entity: 'asset', source: 'erp', sourceId: `A-${pad(i)}`, serialNumber: `HX7-${pad(i)}-${(i * 7919) % 9973}`, productRef: 'MAT-700', partNumber: 'HX-700',
      name: `Heat exchanger line ${i}`, customerRef: 'C-1', locationRef: 'L-1', installDate: `2023-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    },
    {
      entity: 'contract', source: 'erp', sourceId: `K-${pad(i)}`, contractNumber: `SVC-${pad(i)}-${i * 31}`, customerRef: 'C-1', assetRefs: [`A-${pad(i)}`],
      startDate: i === 0 ? '2021-01-01' : day('2025-01-01', i * 3), endDate: i === 0 ? '2023-12-31' : day('2027-12-31', -i * 5),
      serviceLevel: i % 2 === 0 ? 'gold' : 'silver', status: 'active',
    },
  ]).flat(),
];

/** Ingests the linked world and resolves it. */
export async function seedLinkedWorld(database: Database): Promise<void> {
  await ingestRecords(database, LINKED_RECORDS);
  await resolve(database);
}
