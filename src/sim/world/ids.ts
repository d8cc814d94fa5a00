/**
 * Record identifiers in each source system's style, derived from a per-(source, entity) sequence
 * number, so that any record's id can be recomputed without storing it:
 * - ERP (SAP): business partner `1000045`, material `100017`, equipment `10000231` (serials) and
 *   `50000017` (installed equipment), service contract `4100000012`.
 * - CRM (Salesforce): 18-character ids with the object's key prefix (Account `001`, Contact `003`,
 *   Product2 `01t`, Asset `02i`, ServiceContract `810`, Location `131`) and a valid case-checksum suffix.
 * - FSM (ServiceNow): 32 lowercase hex `sys_id`s.
 *
 * Also the true ids (`C000123`, ...).
 */
import type { EntityType } from '../../core/entities';
import { hashKeys, hashString, mix32 } from './random';
import type { SourceName } from './types';

const ERP_BASE: Record<EntityType, number> = {
  customer: 1_000_000,
  product: 100_000,
  serial: 10_000_000,
  asset: 50_000_000,
  contract: 4_100_000_000,
  location: 70_000_000,
};

/** Salesforce key prefixes per entity (customers that are persons use Contact `003`). */
export const CRM_PREFIX: Record<EntityType, string> = {
  customer: '001',
  product: '01t',
  serial: '0sN',
  asset: '02i',
  contract: '810',
  location: '131',
};

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The 3-character case-checksum suffix that turns a 15-character Salesforce id into the 18-character form.
 *
 * @example
 * ```ts
 * salesforceSuffix('0015g00000AbCdE') // 'AAV'
 * ```
 */
export function salesforceSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let j = 0; j < 5; j++) {
      const c = id15.charCodeAt(chunk * 5 + j);
      if (c >= 65 && c <= 90) flags |= 1 << j;
    }
    out += SUFFIX_ALPHABET[flags];
  }
  return out;
}

/**
 * An 18-character Salesforce id: key prefix, pod `5g`, a base-62 record number, checksum suffix.
 *
 * @example
 * ```ts
 * salesforceId('001', 1_000_000_000) // '0015g000015ftgGAAQ'
 * ```
 */
export function salesforceId(prefix: string, n: number): string {
  let body = '';
  let x = n;
  for (let i = 0; i < 10; i++) {
    body = BASE62[x % 62] + body;
    x = Math.floor(x / 62);
  }
  const id15 = `${prefix}5g${body}`;
  return id15 + salesforceSuffix(id15);
}

function hex8(x: number): string {
  return (x >>> 0).toString(16).padStart(8, '0');
}

/**
 * A 32-hex ServiceNow sys_id, unique per `(table, n)`: the first 8 hex digits are a bijection of `n`.
 *
 * @example
 * ```ts
 * serviceNowSysId(42, 'core_company', 7) // 32 lowercase hex chars
 * ```
 */
export function serviceNowSysId(worldSeed: number, table: string, n: number): string {
  const salt = hashString(table);
  return hex8(mix32((n ^ salt) >>> 0)) + hex8(hashKeys(worldSeed, salt, n, 1)) + hex8(hashKeys(worldSeed, salt, n, 2)) + hex8(hashKeys(worldSeed, salt, n, 3));
}

const FSM_TABLE: Record<EntityType, string> = {
  customer: 'core_company',
  product: 'cmdb_model',
  serial: 'alm_asset_serial',
  asset: 'alm_asset',
  contract: 'ast_contract',
  location: 'cmn_location',
};

/**
 * The source id of the `seq`-th record of `entity` in `source`.
 *
 * @example
 * ```ts
 * sourceIdFor(42, 'erp', 'customer', 44) // '1000044'
 * sourceIdFor(42, 'crm', 'customer', 3, true) // a Contact id '0035g…'
 * ```
 */
export function sourceIdFor(worldSeed: number, source: SourceName, entity: EntityType, seq: number, person = false): string {
  switch (source) {
    case 'erp':
      return String(ERP_BASE[entity] + seq);
    case 'crm': {
      const offset = hashKeys(worldSeed, hashString(entity)) % 200_000_000;
      return salesforceId(person ? '003' : CRM_PREFIX[entity], 1_000_000_000 + offset + seq);
    }
    case 'fsm':
      return serviceNowSysId(worldSeed, FSM_TABLE[entity], seq);
  }
}

const TRUE_PREFIX: Record<EntityType, string> = {
  customer: 'C',
  product: 'P',
  serial: 'S',
  asset: 'A',
  contract: 'K',
  location: 'L',
};

/**
 * The true (real-world) id of entity number `index` (0-based): `C000001`, `P000045`, `S…`, `A…`, `K…`, `L…`.
 *
 * @example
 * ```ts
 * trueIdFor('customer', 122) // 'C000123'
 * ```
 */
export function trueIdFor(entity: EntityType, index: number): string {
  return TRUE_PREFIX[entity] + String(index + 1).padStart(6, '0');
}
