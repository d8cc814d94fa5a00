/**
 * SAP S/4HANA (OData v2 A2X APIs) as a source: business partners (customers), products,
 * equipment (serials in stock and installed assets) and service contracts, mapped to canonical
 * records as `shared/reference/source-systems.md` section 5 and `docs/sources.md` describe.
 *
 * Reads in change order with a (stamp, key) keyset filter and `$top`, following `__next` when the
 * server cuts a response. Deltas start at the stored stamp minus an overlap (`ge`): SAP stamps
 * have one-second precision, so records at the watermark's second are read again and stored as
 * unchanged. Deletions are flags (archived/blocked, marked for deletion) and arrive as `deleted`.
 */
import type { EntityType } from '../../core/entities';
import type { SourceHttpClient } from '../http-client';
import { type MappedItem, type PageOptions, PayloadError, type SourceAdapter, type SourceFeed, type SourcePage, type Watermark } from '../source-adapter';
import { type ObjectAccess, unknownObject } from './object-access';
import { bool, compact, decimal, key, list, mapSafely, type Payload, text } from './payload';

export interface SapAdapterOptions {
  source: string;
  baseUrl: string;
  http: SourceHttpClient;
  authorization: string;
  pageSize?: number;
  overlapSeconds?: number;
  /** System time zone offset in minutes (BP `LastChangeDate`/`LastChangeTime` are local). */
  timeZoneOffsetMinutes?: number;
}

const DAY = 86_400_000;

/** Edm.DateTime / DateTimeOffset `/Date(ms)/` (or `/Date(ms+0000)/`) to ms. */
export function parseODataDate(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    const m = /^\/Date\((-?\d+)(?:([+-])(\d{4}))?\)\/$/.exec(value);
    if (m) return Number(m[1]);
  }
  throw new PayloadError(`${field} ${JSON.stringify(value)} is not an OData date (expected /Date(ms)/)`);
}

function isoDate(value: unknown, field: string): string | undefined {
  const ms = parseODataDate(value, field);
  if (ms === undefined) return undefined;
  if (ms >= 253402214400000) return undefined; // 9999-12-31: open end
  return new Date(ms).toISOString().slice(0, 10);
}

function edmTimeMs(value: unknown, field: string): number {
  if (typeof value === 'string') {
    const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?$/.exec(value);
    if (m) return (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
  }
  throw new PayloadError(`${field} ${JSON.stringify(value)} is not an OData time (expected PThhHmmMssS)`);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function datetimeLiteral(ms: number): string {
  return `datetime'${new Date(ms).toISOString().slice(0, 19)}'`;
}

function datetimeOffsetLiteral(ms: number): string {
  return `datetimeoffset'${new Date(ms).toISOString()}'`;
}

function timeLiteral(msOfDay: number): string {
  const s = Math.floor(msOfDay / 1000);
  return `time'PT${pad(Math.floor(s / 3600))}H${pad(Math.floor((s % 3600) / 60))}M${pad(s % 60)}S'`;
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

interface FeedSpec {
  name: string;
  path: string;
  entities: EntityType[];
  keyField: string;
  orderby: string;
  expand: string;
  /** The row's change stamp (UTC ms). */
  stamp: (p: Payload) => number;
  /** Filter for rows at or after `ms` (start of a read). */
  from: (ms: number) => string;
  /** Filter for rows strictly after (ms, key) (continuation). */
  after: (ms: number, key: string) => string;
  map: (p: Payload) => Record<string, unknown>;
  entityOf: (p: Payload) => EntityType | null;
}

/** Creates the SAP adapter. */
export function createSapAdapter(options: SapAdapterOptions): SourceAdapter & ObjectAccess {
  const source = options.source;
  const offset = (options.timeZoneOffsetMinutes ?? 0) * 60_000;
  const pageSize = options.pageSize ?? 2000;
  const overlap = (options.overlapSeconds ?? 1) * 1000;
  const base = options.baseUrl.replace(/\/+$/, '');

  const envelope = (entity: EntityType, id: string, stamp: number, deleted: boolean, attrs: Record<string, unknown>, payload: Payload) =>
    compact({ entity, source, sourceId: id, updatedAt: new Date(stamp).toISOString(), deleted, ...attrs, sourcePayload: strip(payload) });

  const bpStamp = (p: Payload): number => {
    const date = parseODataDate(p.LastChangeDate, 'LastChangeDate');
    if (date === undefined) throw new PayloadError('LastChangeDate is missing');
    return date + edmTimeMs(p.LastChangeTime ?? 'PT00H00M00S', 'LastChangeTime') - offset;
  };
  const stampOf = (field: string) => (p: Payload): number => {
    const ms = parseODataDate(p[field], field);
    if (ms === undefined) throw new PayloadError(`${field} is missing`);
    return ms;
  };
  const simpleFrom = (field: string) => (ms: number) => `${field} ge ${datetimeOffsetLiteral(ms)}`;
  const simpleAfter = (field: string, keyField: string) => (ms: number, k: string) =>
    `(${field} gt ${datetimeOffsetLiteral(ms)} or (${field} eq ${datetimeOffsetLiteral(ms)} and ${keyField} gt ${quote(k)}))`;

  const feeds: FeedSpec[] = [
    {
      name: 'A_BusinessPartner',
      path: '/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner',
      entities: ['customer'],
      keyField: 'BusinessPartner',
      orderby: 'LastChangeDate,LastChangeTime,BusinessPartner',
      expand: 'to_BusinessPartnerAddress/to_EmailAddress,to_BusinessPartnerAddress/to_PhoneNumber,to_BusinessPartnerAddress/to_URLAddress,to_BusinessPartnerTax,to_BuPaIdentification,to_BPRelationship',
      stamp: bpStamp,
      from: (ms) => {
        const local = ms + offset;
        const day = Math.floor(local / DAY) * DAY;
        return `(LastChangeDate gt ${datetimeLiteral(day)} or (LastChangeDate eq ${datetimeLiteral(day)} and LastChangeTime ge ${timeLiteral(local - day)}))`;
      },
      after: (ms, k) => {
        const local = ms + offset;
        const day = Math.floor(local / DAY) * DAY;
        const d = datetimeLiteral(day);
        const t = timeLiteral(local - day);
        return `(LastChangeDate gt ${d} or (LastChangeDate eq ${d} and (LastChangeTime gt ${t} or (LastChangeTime eq ${t} and BusinessPartner gt ${quote(k)}))))`;
      },
      entityOf: () => 'customer',
      map: (p) => {
        const id = key(p, 'BusinessPartner');
        const category = text(p, 'BusinessPartnerCategory');
        if (category !== '1' && category !== '2' && category !== '3') {
          throw new PayloadError(`BusinessPartnerCategory ${JSON.stringify(p.BusinessPartnerCategory ?? null)} is not 1 (person), 2 (organization) or 3 (group)`);
        }
        const person = category === '1';
        const address = list(p, 'to_BusinessPartnerAddress')[0];
        const email = address ? list(address, 'to_EmailAddress') : [];
        const phone = address ? list(address, 'to_PhoneNumber') : [];
        const url = address ? list(address, 'to_URLAddress') : [];
        const pick = (items: Payload[], flag: string) => items.find((x) => x[flag] === true) ?? items[0];
        const tax = list(p, 'to_BusinessPartnerTax')[0];
        const ids = list(p, 'to_BuPaIdentification');
        const idOf = (type: string) => {
          const hit = ids.find((x) => x.BPIdentificationType === type);
          return hit ? text(hit, 'BPIdentificationNumber') : undefined;
        };
        const parent = list(p, 'to_BPRelationship').find((r) => r.RelationshipCategory === 'ZGROUP' && r.BusinessPartner1 === id);
        const name =
          text(p, 'BusinessPartnerFullName') ??
          (person
            ? [text(p, 'FirstName'), text(p, 'LastName')].filter(Boolean).join(' ') || undefined
            : ['OrganizationBPName1', 'OrganizationBPName2', 'OrganizationBPName3', 'OrganizationBPName4'].map((f) => text(p, f) ?? '').join(' ').trim() || undefined);
        const phoneItem = pick(phone, 'IsDefaultPhoneNumber');
        return envelope('customer', id, bpStamp(p), bool(p, 'IsMarkedForArchiving') || bool(p, 'BusinessPartnerIsBlocked'), {
          kind: person ? 'person' : 'organization',
          name,
          givenName: person ? text(p, 'FirstName') : undefined,
          familyName: person ? text(p, 'LastName') : undefined,
          dateOfBirth: person ? isoDate(p.BirthDate, 'BirthDate') : undefined,
          taxId: tax ? (text(tax, 'BPTaxNumber') ?? text(tax, 'BPTaxLongNumber')) : undefined,
          duns: idOf('DUNS'),
          nationalId: idOf('NATID'),
          street: address ? text(address, 'StreetName') : undefined,
          houseNumber: address ? text(address, 'HouseNumber') : undefined,
          addressLine2: address ? text(address, 'StreetSuffixName') : undefined,
          postalCode: address ? text(address, 'PostalCode') : undefined,
          city: address ? text(address, 'CityName') : undefined,
          region: address ? text(address, 'Region') : undefined,
          country: address ? text(address, 'Country') : undefined,
          email: email.length ? text(pick(email, 'IsDefaultEmailAddress'), 'EmailAddress') : undefined,
          phone: phoneItem ? (text(phoneItem, 'InternationalPhoneNumber') ?? text(phoneItem, 'PhoneNumber')) : undefined,
          website: url.length ? text(pick(url, 'IsDefaultURLAddress'), 'WebsiteURL') : undefined,
          parentRef: parent ? text(parent, 'BusinessPartner2') : undefined,
        }, p);
      },
    },
    {
      name: 'A_Product',
      path: '/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product',
      entities: ['product'],
      keyField: 'Product',
      orderby: 'LastChangeDateTime,Product',
      expand: 'to_Description,to_ProductBasicText,to_Valuation',
      stamp: stampOf('LastChangeDateTime'),
      from: simpleFrom('LastChangeDateTime'),
      after: simpleAfter('LastChangeDateTime', 'Product'),
      entityOf: () => 'product',
      map: (p) => {
        const id = key(p, 'Product');
        const byLang = (items: Payload[]) => items.find((x) => x.Language === 'EN') ?? items[0];
        const description = byLang(list(p, 'to_Description'));
        const longText = byLang(list(p, 'to_ProductBasicText'));
        const valuation = list(p, 'to_Valuation')[0];
        return envelope('product', id, stampOf('LastChangeDateTime')(p), bool(p, 'IsMarkedForDeletion'), {
          partNumber: text(p, 'ProductOldID'),
          name: description ? text(description, 'ProductDescription') : undefined,
          description: longText ? text(longText, 'LongText') : undefined,
          manufacturer: text(p, 'YY1_ManufacturerName_PRD'),
          manufacturerPartNumber: text(p, 'ProductManufacturerNumber'),
          gtin: text(p, 'ProductStandardID'),
          family: text(p, 'ProductGroup'),
          uom: text(p, 'BaseUnit'),
          status: text(p, 'CrossPlantStatus'),
          price: valuation ? decimal(valuation, 'StandardPrice') : undefined,
          currency: valuation ? text(valuation, 'Currency') : undefined,
        }, p);
      },
    },
    {
      name: 'Equipment',
      path: '/sap/opu/odata/sap/API_EQUIPMENT/Equipment',
      entities: ['serial', 'asset'],
      keyField: 'Equipment',
      orderby: 'LastChangeDateTime,Equipment',
      expand: 'to_Partner',
      stamp: stampOf('LastChangeDateTime'),
      from: simpleFrom('LastChangeDateTime'),
      after: simpleAfter('LastChangeDateTime', 'Equipment'),
      entityOf: (p) => (p.EquipmentCategory === 'S' || p.EquipmentIsAtCustomer === true ? 'asset' : 'serial'),
      map: (p) => {
        const id = key(p, 'Equipment');
        const asset = p.EquipmentCategory === 'S' || (p.EquipmentCategory !== 'M' && bool(p, 'EquipmentIsAtCustomer'));
        const stamp = stampOf('LastChangeDateTime')(p);
        const deleted = bool(p, 'EquipmentIsMarkedForDeletion');
        if (!asset) {
          const year = text(p, 'ConstructionYear');
          const month = text(p, 'ConstructionMonth');
          return envelope('serial', id, stamp, deleted, {
            serialNumber: text(p, 'SerialNumber'),
            productRef: text(p, 'Material'),
            partNumber: text(p, 'ManufacturerPartTypeName'),
            manufacturer: text(p, 'AssetManufacturerName'),
            manufactureDate: isoDate(p.YY1_ManufactureDate_EQU, 'YY1_ManufactureDate_EQU') ?? (year && month ? `${year}-${month}-01` : undefined),
            plant: text(p, 'MaintenancePlant'),
            batch: text(p, 'Batch'),
          }, p);
        }
        const partners = list(p, 'to_Partner');
        const soldTo = partners.find((x) => x.PartnerFunction === 'AG') ?? partners.find((x) => x.PartnerFunction === 'WE');
        const status = text(p, 'YY1_UserStatus_EQU') ?? (bool(p, 'EquipmentIsInactive') ? 'INAC' : bool(p, 'EquipmentIsInstalled') ? 'INST' : undefined);
        return envelope('asset', id, stamp, deleted, {
          serialNumber: text(p, 'SerialNumber'),
          productRef: text(p, 'Material'),
          partNumber: text(p, 'ManufacturerPartTypeName'),
          name: text(p, 'EquipmentName'),
          customerRef: soldTo ? text(soldTo, 'Partner') : undefined,
          installDate: isoDate(p.OperationStartDate, 'OperationStartDate'),
          status,
        }, p);
      },
    },
    {
      name: 'A_ServiceContract',
      path: '/sap/opu/odata/sap/API_SERVICE_CONTRACT_SRV/A_ServiceContract',
      entities: ['contract'],
      keyField: 'ServiceContract',
      orderby: 'ServiceDocChangedDateTime,ServiceContract',
      expand: 'to_Item',
      stamp: stampOf('ServiceDocChangedDateTime'),
      from: simpleFrom('ServiceDocChangedDateTime'),
      after: simpleAfter('ServiceDocChangedDateTime', 'ServiceContract'),
      entityOf: () => 'contract',
      map: (p) => {
        const id = key(p, 'ServiceContract');
        const assets = list(p, 'to_Item').map((i) => text(i, 'ServiceReferenceEquipment')).filter((x): x is string => !!x);
        return envelope('contract', id, stampOf('ServiceDocChangedDateTime')(p), bool(p, 'DeletionIndicator'), {
          contractNumber: text(p, 'ServiceContractDescription'),
          customerRef: text(p, 'SoldToParty'),
          assetRefs: assets.length ? assets : undefined,
          startDate: isoDate(p.ServiceContractStartDate, 'ServiceContractStartDate'),
          endDate: isoDate(p.ServiceContractEndDate, 'ServiceContractEndDate'),
          serviceLevel: text(p, 'ServiceContractType'),
          status: text(p, 'ServiceContractUserStatusName'),
        }, p);
      },
    },
  ];

  const feed = (spec: FeedSpec): SourceFeed => ({
    name: spec.name,
    entities: spec.entities,
    async *pages({ since, signal }: PageOptions): AsyncIterable<SourcePage> {
      let position: { ms: number; key: string } | null = null;
      for (;;) {
        const filter = position ? spec.after(position.ms, position.key) : since ? spec.from(Date.parse(since.stamp) - overlap) : undefined;
        const params = new URLSearchParams();
        if (filter) params.set('$filter', filter);
        params.set('$orderby', spec.orderby);
        params.set('$top', String(pageSize));
        params.set('$expand', spec.expand);
        params.set('$format', 'json');
        let url: string | undefined = `${base}${spec.path}?${params.toString().replace(/\+/g, '%20')}`;
        let rows = 0;
        const before = position;
        while (url) {
          const res: { body: { d?: { results?: unknown; __next?: unknown } } } = await options.http.getJson(url, { authorization: options.authorization }, signal);
          const d = res.body?.d;
          if (!d || !Array.isArray(d.results)) throw new Error(`${source}: ${spec.name} answered without d.results`);
          const items: MappedItem[] = [];
          let last: Watermark | null = null;
          for (const raw of d.results as Payload[]) {
            items.push(mapSafely(raw, spec.entityOf(raw), spec.keyField, spec.map));
            try {
              const ms = spec.stamp(raw);
              const k = key(raw, spec.keyField);
              position = { ms, key: k };
              last = { stamp: new Date(ms).toISOString(), key: k };
            } catch {
              // A row without a usable stamp or key is quarantined; the position stays at the last good row.
            }
          }
          rows += d.results.length;
          yield { items, watermark: last, rows: d.results.length };
          url = typeof d.__next === 'string' && d.__next !== '' ? d.__next : undefined;
        }
        if (rows < pageSize) return;
        if (before && position && before.ms === position.ms && before.key === position.key) {
          throw new Error(`${source}: ${spec.name} returned ${rows} rows none of which has a readable change stamp and key; cannot move on`);
        }
      }
    },
  });

  // Record-at-a-time access (event-driven ingest): the feeds' mappings and request shape.
  const specOf = new Map(feeds.map((f) => [f.name, f]));
  const mapObject = (object: string, payload: Payload): MappedItem => {
    const spec = specOf.get(object);
    if (!spec) return unknownObject('SAP', object, feeds.map((f) => f.name), null);
    return mapSafely(payload, spec.entityOf(payload), spec.keyField, spec.map);
  };
  const readOne = async (object: string, id: string, signal?: AbortSignal): Promise<MappedItem | null> => {
    const spec = specOf.get(object);
    if (!spec) return unknownObject('SAP', object, feeds.map((f) => f.name), id);
    const params = new URLSearchParams();
    params.set('$filter', `${spec.keyField} eq ${quote(id)}`);
    params.set('$top', '1');
    params.set('$expand', spec.expand);
    params.set('$format', 'json');
    const url = `${base}${spec.path}?${params.toString().replace(/\+/g, '%20')}`;
    const res: { body: { d?: { results?: unknown } } } = await options.http.getJson(url, { authorization: options.authorization }, signal);
    const results = res.body?.d?.results;
    if (!Array.isArray(results)) throw new Error(`${source}: ${spec.name} answered without d.results`);
    return results.length === 0 ? null : mapObject(object, results[0] as Payload);
  };

  return {
    source,
    kind: 'sap',
    feeds: feeds.map(feed),
    objects: feeds.map((f) => f.name),
    keyField: (object) => specOf.get(object)?.keyField,
    mapObject,
    readOne,
  };
}

/** The payload without OData bookkeeping (`__metadata`, deferred links), to keep as the raw record. */
function strip(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const list = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) list[i] = strip(value[i]);
    return list;
  }
  const out: Record<string, unknown> = {};
  for (const k in value as Payload) {
    if (k === '__metadata') continue;
    const v = (value as Payload)[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && '__deferred' in v) continue;
    out[k] = strip(v);
  }
  return out;
}
