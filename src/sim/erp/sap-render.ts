/**
 * Renders canonical ERP records as SAP S/4HANA OData v2 entities (verbose JSON): the inverse of
 * `src/ingest/adapters/sap-odata-adapter.ts`. Field choices follow
 * `shared/reference/source-systems.md` section 1; values with no standard SAP property travel in
 * key-user extension fields (`YY1_*`), as custom fields do in S/4HANA.
 */
import type { SimRow } from '../index';

/** SAP's open validity end, 9999-12-31. */
export const SAP_OPEN_END = '/Date(253402214400000)/';
const DAY = 86_400_000;

/** A `YYYY-MM-DD` date as Edm.DateTime (`/Date(ms)/` at midnight UTC), or null. */
export function edmDate(date: unknown): string | null {
  if (typeof date !== 'string' || date === '') return null;
  const ms = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? null : `/Date(${ms})/`;
}

/** A timestamp (ms) as Edm.DateTimeOffset. */
export function edmDateTimeOffset(ms: number): string {
  return `/Date(${ms}+0000)/`;
}

/** Milliseconds within a day as Edm.Time (`PT14H05M31S`). */
export function edmTime(msOfDay: number): string {
  const s = Math.floor(msOfDay / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `PT${pad(Math.floor(s / 3600))}H${pad(Math.floor((s % 3600) / 60))}M${pad(s % 60)}S`;
}

/** The local (system time zone) date at midnight, as ms, and the time of day for a UTC stamp. */
export function localDateTime(ms: number, offsetMinutes: number): { dateMs: number; timeMs: number } {
  const local = ms + offsetMinutes * 60_000;
  const dateMs = Math.floor(local / DAY) * DAY;
  return { dateMs, timeMs: local - dateMs };
}

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

function metadata(base: string, service: string, set: string, key: string, type: string): Record<string, string> {
  const uri = `${base}/sap/opu/odata/sap/${service}/${set}(${key})`;
  return { id: uri, uri, type: `${service}.${type}` };
}

function splitName(name: string): string[] {
  const parts = ['', '', '', ''];
  for (let i = 0; i < 4; i++) parts[i] = name.slice(i * 40, i * 40 + 40);
  return parts;
}

/** A_BusinessPartner with its addresses (e-mail, phone, URL), tax numbers, identifications and group relationship. */
export function renderBusinessPartner(row: SimRow, base: string, offsetMinutes: number): Record<string, unknown> {
  const r = row.record;
  const id = row.id;
  const person = r.kind === 'person';
  const name = str(r.name);
  const [n1, n2, n3, n4] = person ? ['', '', '', ''] : splitName(name);
  const { dateMs, timeMs } = localDateTime(row.changedAt, offsetMinutes);
  const addressId = String(20000 + (Number.parseInt(id, 10) % 1_000_000 || 0));
  const nav = (service: string, set: string, key: string, type: string, fields: Record<string, unknown>) => ({
    __metadata: metadata(base, service, set, key, type),
    ...fields,
  });
  const S = 'API_BUSINESS_PARTNER';
  const addr: Record<string, unknown> = {
    __metadata: metadata(base, S, 'A_BusinessPartnerAddress', `BusinessPartner='${id}',AddressID='${addressId}'`, 'A_BusinessPartnerAddressType'),
    BusinessPartner: id,
    AddressID: addressId,
    ValidityStartDate: edmDateTimeOffset(Date.parse('2019-06-01T00:00:00Z')),
    ValidityEndDate: '/Date(253402214400000+0000)/',
    StreetName: str(r.street),
    HouseNumber: str(r.houseNumber),
    StreetSuffixName: str(r.addressLine2),
    PostalCode: str(r.postalCode),
    CityName: str(r.city),
    Region: str(r.region),
    Country: str(r.country),
    Language: 'EN',
    to_EmailAddress: {
      results: r.email
        ? [nav(S, 'A_AddressEmailAddress', `AddressID='${addressId}',Person='',OrdinalNumber='1'`, 'A_AddressEmailAddressType', {
            AddressID: addressId, Person: '', OrdinalNumber: '1', IsDefaultEmailAddress: true,
            EmailAddress: str(r.email), SearchEmailAddress: str(r.email).toUpperCase().slice(0, 20),
          })]
        : [],
    },
    to_PhoneNumber: {
      results: r.phone
        ? [nav(S, 'A_AddressPhoneNumber', `AddressID='${addressId}',Person='',OrdinalNumber='1'`, 'A_AddressPhoneNumberType', {
            AddressID: addressId, Person: '', OrdinalNumber: '1', DestinationLocationCountry: str(r.country),
            IsDefaultPhoneNumber: true, PhoneNumber: str(r.phone), PhoneNumberExtension: '',
            InternationalPhoneNumber: str(r.phone), PhoneNumberType: person ? '3' : '1',
          })]
        : [],
    },
    to_URLAddress: {
      results: r.website
        ? [nav(S, 'A_AddressHomePageURL', `AddressID='${addressId}',Person='',OrdinalNumber='1'`, 'A_AddressHomePageURLType', {
            AddressID: addressId, Person: '', OrdinalNumber: '1', IsDefaultURLAddress: true, WebsiteURL: str(r.website),
          })]
        : [],
    },
  };
  const tax = r.taxId
    ? [nav(S, 'A_BusinessPartnerTaxNumber', `BusinessPartner='${id}',BPTaxType='${str(r.country).slice(0, 2) || 'XX'}0'`, 'A_BusinessPartnerTaxNumberType', {
        BusinessPartner: id, BPTaxType: `${str(r.country).slice(0, 2) || 'XX'}0`, BPTaxNumber: str(r.taxId), BPTaxLongNumber: '',
      })]
    : [];
  const ident: unknown[] = [];
  if (r.duns) ident.push(nav(S, 'A_BuPaIdentification', `BusinessPartner='${id}',BPIdentificationType='DUNS',BPIdentificationNumber='${str(r.duns)}'`, 'A_BuPaIdentificationType', {
    BusinessPartner: id, BPIdentificationType: 'DUNS', BPIdentificationNumber: str(r.duns), Country: '',
  }));
  if (r.nationalId) ident.push(nav(S, 'A_BuPaIdentification', `BusinessPartner='${id}',BPIdentificationType='NATID',BPIdentificationNumber='${str(r.nationalId)}'`, 'A_BuPaIdentificationType', {
    BusinessPartner: id, BPIdentificationType: 'NATID', BPIdentificationNumber: str(r.nationalId), Country: str(r.country),
  }));
  const rel = r.parentRef
    ? [nav(S, 'A_BPRelationship', `RelationshipNumber='${id}',BusinessPartner1='${id}',BusinessPartner2='${str(r.parentRef)}'`, 'A_BPRelationshipType', {
        RelationshipNumber: id, BusinessPartner1: id, BusinessPartner2: str(r.parentRef), RelationshipCategory: 'ZGROUP',
        ValidityStartDate: '/Date(1559347200000)/', ValidityEndDate: SAP_OPEN_END,
      })]
    : [];
  return {
    __metadata: { ...metadata(base, S, 'A_BusinessPartner', `'${id}'`, 'A_BusinessPartnerType'), etag: `W/"datetimeoffset'${new Date(row.changedAt).toISOString()}'"` },
    BusinessPartner: id,
    Customer: id,
    Supplier: '',
    BusinessPartnerCategory: person ? '1' : '2',
    BusinessPartnerGrouping: person ? 'BP01' : 'BP02',
    BusinessPartnerFullName: name,
    BusinessPartnerName: name,
    OrganizationBPName1: n1,
    OrganizationBPName2: n2,
    OrganizationBPName3: n3,
    OrganizationBPName4: n4,
    FirstName: person ? str(r.givenName) : '',
    LastName: person ? str(r.familyName) : '',
    BirthDate: person ? edmDate(r.dateOfBirth) : null,
    SearchTerm1: name.split(/\s+/)[0]?.toUpperCase().slice(0, 20) ?? '',
    InternationalLocationNumber1: '0000000',
    InternationalLocationNumber2: '00000',
    InternationalLocationNumber3: '0',
    CreationDate: '/Date(1559347200000)/',
    CreationTime: 'PT09H12M44S',
    LastChangeDate: `/Date(${dateMs})/`,
    LastChangeTime: edmTime(timeMs),
    LastChangedByUser: 'CC0000000012',
    BusinessPartnerIsBlocked: r.deleted === true,
    IsMarkedForArchiving: r.deleted === true,
    BusinessPartnerIDByExtSystem: '',
    to_BusinessPartnerAddress: { results: [addr] },
    to_BusinessPartnerTax: { results: tax },
    to_BuPaIdentification: { results: ident },
    to_BPRelationship: { results: rel },
  };
}

/** A_Product with descriptions, basic text and valuation (price). */
export function renderProduct(row: SimRow, base: string): Record<string, unknown> {
  const r = row.record;
  const id = row.id;
  const S = 'API_PRODUCT_SRV';
  return {
    __metadata: metadata(base, S, 'A_Product', `'${id}'`, 'A_ProductType'),
    Product: id,
    ProductType: r.family === 'Spare Parts' ? 'ERSA' : 'FERT',
    ProductGroup: str(r.family),
    ProductOldID: str(r.partNumber),
    BaseUnit: str(r.uom),
    ProductStandardID: str(r.gtin),
    InternationalArticleNumberCat: r.gtin ? 'HE' : '',
    ProductManufacturerNumber: str(r.manufacturerPartNumber),
    ManufacturerNumber: '',
    YY1_ManufacturerName_PRD: str(r.manufacturer),
    CrossPlantStatus: str(r.status),
    IsMarkedForDeletion: r.deleted === true,
    CreationDate: '/Date(1559347200000)/',
    LastChangeDate: `/Date(${Math.floor(row.changedAt / 86_400_000) * 86_400_000})/`,
    LastChangeDateTime: edmDateTimeOffset(row.changedAt),
    to_Description: {
      results: r.name
        ? [{ __metadata: metadata(base, S, 'A_ProductDescription', `Product='${id}',Language='EN'`, 'A_ProductDescriptionType'), Product: id, Language: 'EN', ProductDescription: str(r.name) }]
        : [],
    },
    to_ProductBasicText: {
      results: r.description
        ? [{ __metadata: metadata(base, S, 'A_ProductBasicText', `Product='${id}',Language='EN'`, 'A_ProductBasicTextType'), Product: id, Language: 'EN', LongText: str(r.description) }]
        : [],
    },
    to_Valuation: {
      results:
        r.price !== undefined
          ? [{ __metadata: metadata(base, S, 'A_ProductValuation', `Product='${id}',ValuationArea='1010',ValuationType=''`, 'A_ProductValuationType'), Product: id, ValuationArea: '1010', ValuationType: '', StandardPrice: String(r.price), PriceUnitQty: '1', Currency: str(r.currency) }]
          : [],
    },
  };
}

/** Equipment: serial units in stock (category `M`) and customer equipment (category `S`). */
export function renderEquipment(row: SimRow, base: string): Record<string, unknown> {
  const r = row.record;
  const id = row.id;
  const asset = r.entity === 'asset';
  const S = 'API_EQUIPMENT';
  const key = `Equipment='${id}',ValidityEndDate=datetime'9999-12-31T00%3A00%3A00'`;
  const made = typeof r.manufactureDate === 'string' ? r.manufactureDate : '';
  const status = str(r.status);
  return {
    __metadata: { ...metadata(base, S, 'Equipment', key, 'EquipmentType'), type: 'cds_api_equipment.EquipmentType' },
    Equipment: id,
    ValidityEndDate: SAP_OPEN_END,
    ValidityStartDate: '/Date(1559347200000)/',
    EquipmentName: asset ? str(r.name) : '',
    EquipmentCategory: asset ? 'S' : 'M',
    TechnicalObjectType: '',
    Material: str(r.productRef),
    SerialNumber: str(r.serialNumber),
    ManufacturerSerialNumber: '',
    AssetManufacturerName: str(r.manufacturer),
    ManufacturerPartTypeName: str(r.partNumber),
    ConstructionYear: made.slice(0, 4),
    ConstructionMonth: made.slice(5, 7),
    YY1_ManufactureDate_EQU: edmDate(made),
    Batch: str(r.batch),
    OperationStartDate: edmDate(r.installDate),
    MaintenancePlant: str(r.plant),
    EquipmentIsAtCustomer: asset,
    EquipmentIsInstalled: asset && status === 'INST',
    EquipmentIsInactive: status === 'INAC',
    EquipmentIsMarkedForDeletion: r.deleted === true,
    YY1_UserStatus_EQU: status,
    LastChangeDateTime: edmDateTimeOffset(row.changedAt),
    to_Partner: {
      results: r.customerRef
        ? [{ __metadata: { type: 'cds_api_equipment.EquipmentPartnerType' }, Equipment: id, PartnerFunction: 'AG', EquipmentPartnerObjectNmbr: '000001', Partner: str(r.customerRef) }]
        : [],
    },
  };
}

/** A_ServiceContract with items referencing the covered equipment (assumed shape, [I] in the reference). */
export function renderServiceContract(row: SimRow, base: string): Record<string, unknown> {
  const r = row.record;
  const id = row.id;
  const S = 'API_SERVICE_CONTRACT_SRV';
  const assets = Array.isArray(r.assetRefs) ? (r.assetRefs as string[]) : [];
  return {
    __metadata: metadata(base, S, 'A_ServiceContract', `'${id}'`, 'A_ServiceContractType'),
    ServiceContract: id,
    ServiceContractType: str(r.serviceLevel),
    ServiceContractDescription: str(r.contractNumber),
    SoldToParty: str(r.customerRef),
    SalesOrganization: '1010',
    ServiceContractStartDate: edmDate(r.startDate),
    ServiceContractEndDate: edmDate(r.endDate),
    ServiceContractUserStatusName: str(r.status),
    DeletionIndicator: r.deleted === true,
    TransactionCurrency: 'EUR',
    ServiceDocChangedDateTime: edmDateTimeOffset(row.changedAt),
    to_Item: {
      results: assets.map((a, i) => ({
        __metadata: { type: `${S}.A_ServiceContractItemType` },
        ServiceContract: id,
        ServiceContractItem: String((i + 1) * 10).padStart(6, '0'),
        ServiceReferenceEquipment: a,
      })),
    },
  };
}
