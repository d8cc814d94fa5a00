import { describe, it, expect } from 'vitest';
import { vat, duns, gtin, gln, checkDigitGs1 } from './identifiers';

/**
 * VAT numbers published by companies online, as collected in the
 * python-stdnum test suite (tests/test_eu_vat.doctest), in their original
 * formatting.
 */
const VALID_VAT: Array<[string, string]> = [
  ['ATU 142 43 102', 'ATU14243102'], ['ATU 15159209', 'ATU15159209'], ['ATU13585627', 'ATU13585627'],
  ['ATU46080404', 'ATU46080404'], ['ATU61195628', 'ATU61195628'],
  ['BE (0)468.561.072', 'BE0468561072'], ['BE 0202.239.951', 'BE0202239951'], ['BE 0402 918 402', 'BE0402918402'],
  ['BE0428759497', 'BE0428759497'], ['BE 444.503.092', 'BE0444503092'], ['BE413562567', 'BE0413562567'],
  ['DE - 113866163', 'DE113866163'], ['DE 118619592', 'DE118619592'], ['DE 181 207 708', 'DE181207708'],
  ['DE 221.304.969', 'DE221304969'], ['DE 813 11 38 75', 'DE813113875'], ['DE136308783', 'DE136308783'],
  ['DE812847601', 'DE812847601'],
  ['DK 10 50 32 80', 'DK10503280'], ['DK-27630308', 'DK27630308'], ['DK: 21599336', 'DK21599336'],
  ['FI 0982651-1', 'FI09826511'], ['FI 2094606-3', 'FI20946063'], ['FI-214 95 540', 'FI21495540'],
  ['FR 04409414364', 'FR04409414364'], ['FR 13 393 892 815', 'FR13393892815'], ['FR 41-343848552', 'FR41343848552'],
  ['FR K 7399859412', 'FRK7399859412'], ['fr 71383076817', 'FR71383076817'], ['FR16000063601', 'FR16000063601'],
  ['IT - 01404480202', 'IT01404480202'], ['IT 0 0 6 1 8 2 8 0 4 9 9', 'IT00618280499'], ['IT 00 595 000 217', 'IT00595000217'],
  ['IT: 02331250163', 'IT02331250163'],
  ['NL 001241 643 B01', 'NL001241643B01'], ['NL 8225.69.759 b01', 'NL822569759B01'], ['NL-8197.38.116.B.01', 'NL819738116B01'],
  ['NL4495445B01', 'NL004495445B01'], ['NL001162938B28', 'NL001162938B28'],
  ['PL 584-030-44-72', 'PL5840304472'], ['PL 777 26 68 285', 'PL7772668285'], ['PL-951-157-77-68', 'PL9511577768'],
  ['PL5261025421', 'PL5261025421'],
  ['PT 500 019 720', 'PT500019720'], ['PT 500135.495', 'PT500135495'], ['PT-505 856 468', 'PT505856468'],
  ['EL 039868210', 'EL039868210'], ['EL 94051189', 'EL094051189'], ['El 800 179 925', 'EL800179925'],
  ['ES A-28184661', 'ESA28184661'], ['ES-x-2482300w', 'ESX2482300W'], ['ES 54362315K', 'ES54362315K'],
  ['BG 124 551 319', 'BG124551319'], ['CY-10008489 A', 'CY10008489A'], ['CZ 640229/4448', 'CZ6402294448'],
  ['EE 100 931 558', 'EE100931558'], ['HU-10402434', 'HU10402434'], ['IE 632 3420 C', 'IE6323420C'],
  ['IE9Y71814N', 'IE9Y71814N'], ['LT 100001354118', 'LT100001354118'], ['LU.248.70.640', 'LU24870640'],
  ['LV 4000 3521 600', 'LV40003521600'], ['MT 1039-6417', 'MT10396417'], ['RO 11358544', 'RO11358544'],
  ['SE 556.383.740.901', 'SE556383740901'], ['SE-556666-4438-01', 'SE556666443801'], ['SI 3609 7152', 'SI36097152'],
  ['SK 202 274 96 19', 'SK2022749619'],
];

/** The same source's numbers with a mangled check digit. */
const BAD_CHECKSUM_VAT = [
  'ATU 143 43 102', 'ATU 15169209', 'ATU46080904', 'ATU61191628',
  'BE 0406.139.583', 'BE 0793 013 186', 'BE 456.973.432', 'BE697449982',
  'DE 125014855', 'DE 246 495 415', 'DE 813 91 38 75', 'DE - 266297673',
  'DK 11 96 56 58', 'DK 2565 2202', 'DK-27996592', 'DK10159817',
  'FR 04409414264', 'FR 21 326 565 603',
];

describe('vat', () => {
  it.each(VALID_VAT)('%s -> %s (valid)', (input, expected) => {
    const r = vat(input);
    expect(r?.value).toBe(expected);
    expect(r?.valid).toBe(true);
  });

  it.each(BAD_CHECKSUM_VAT)('%s has a wrong check digit', (input) => {
    const r = vat(input);
    expect(r).not.toBeNull();
    expect(r?.valid).toBe(false);
  });

  it('adds the prefix from the country', () => {
    expect(vat('136308783', 'DE')).toEqual({ value: 'DE136308783', country: 'DE', valid: true });
    expect(vat('136 308 783', 'Deutschland')).toEqual({ value: 'DE136308783', country: 'DE', valid: true });
    expect(vat('U13585627', 'AT')).toEqual({ value: 'ATU13585627', country: 'AT', valid: true });
    expect(vat('0428.759.497', 'BE')).toEqual({ value: 'BE0428759497', country: 'BE', valid: true });
    expect(vat('01404480202', 'IT')).toEqual({ value: 'IT01404480202', country: 'IT', valid: true });
    expect(vat('5261025421', 'PL')).toEqual({ value: 'PL5261025421', country: 'PL', valid: true });
  });

  it('uses the Greek prefix EL and accepts GR', () => {
    expect(vat('094012834', 'GR')).toEqual({ value: 'EL094012834', country: 'GR', valid: true });
    expect(vat('GR 094012834')).toEqual({ value: 'EL094012834', country: 'GR', valid: true });
    expect(vat('EL094012834')).toEqual({ value: 'EL094012834', country: 'GR', valid: true });
  });

  it('keeps an explicit prefix over the record country', () => {
    expect(vat('ATU13585627', 'DE')).toEqual({ value: 'ATU13585627', country: 'AT', valid: true });
  });

  it('strips labels and the Swiss/Norwegian suffixes', () => {
    expect(vat('USt-IdNr.: DE 136308783')).toMatchObject({ value: 'DE136308783', valid: true });
    expect(vat('VAT No. GB 123456789')).toMatchObject({ value: 'GB123456789', country: 'GB', valid: true });
    expect(vat('CHE-123.456.789 MWST')).toEqual({ value: 'CHE123456789', country: 'CH', valid: true });
    expect(vat('NO 923 609 016 MVA')).toEqual({ value: 'NO923609016', country: 'NO', valid: true });
    expect(vat('XI 123456789')).toEqual({ value: 'XI123456789', country: 'GB', valid: true });
  });

  it('flags format errors', () => {
    expect(vat('DE 12345678')).toMatchObject({ value: 'DE12345678', valid: false });
    expect(vat('DE 012345678')).toMatchObject({ valid: false });
    expect(vat('ATU 151592092')).toMatchObject({ valid: false });
    expect(vat('NL 001241643801')).toMatchObject({ valid: false });
    expect(vat('SE 55643359201')).toMatchObject({ valid: false });
    expect(vat('IT 123')).toMatchObject({ value: 'IT123', valid: false });
  });

  it('returns null without digits or without any prefix/country', () => {
    expect(vat(null)).toBeNull();
    expect(vat('')).toBeNull();
    expect(vat('n/a')).toBeNull();
    expect(vat('DE')).toBeNull();
    expect(vat('136308783')).toBeNull();
    expect(vat('XX123456')).toBeNull();
    expect(vat('136308783', 'Atlantis')).toBeNull();
  });
});

describe('duns', () => {
  it.each([
    ['150483782', '150483782'],
    ['15-048-3782', '150483782'],
    ['15 048 3782', '150483782'],
    ['DUNS 15-048-3782', '150483782'],
    ['D-U-N-S: 150483782', '150483782'],
    ['D-U-N-S No. 15-048-3782', '150483782'],
    ['01-368-1923', '013681923'],
    ['13681923', '013681923'],
    ['150483782-0001', '150483782'],
  ])('%s -> %s', (input, expected) => {
    expect(duns(input)).toBe(expected);
  });

  it('zero-pads an 8-digit number that lost its leading zero', () => {
    expect(duns(13681923)).toBe('013681923');
  });

  it.each([[null], [''], ['1234567'], ['1234567890'], ['000000000'], ['ABC123456'], ['n/a']])('%s -> null', (input) => {
    expect(duns(input)).toBeNull();
  });
});

describe('checkDigitGs1', () => {
  it.each([
    ['400638133393', 1],
    ['7351353', 7],
    ['03600029145', 2],
    ['978030640615', 7],
    ['590123412345', 7],
    ['0001234560001', 2],
    ['750103131130', 9],
    ['400000100000', 5],
    ['1061414100000', 2],
    ['426012345000', 7],
  ])('%s -> %i', (body, digit) => {
    expect(checkDigitGs1(body)).toBe(digit);
  });
  it('rejects non-digits and empty input', () => {
    expect(checkDigitGs1('')).toBeNull();
    expect(checkDigitGs1('12a')).toBeNull();
    expect(checkDigitGs1('12 3')).toBeNull();
  });
});

describe('gtin', () => {
  it.each([
    ['4006381333931', '04006381333931'],
    ['73513537', '00000073513537'],
    ['7351-3537', '00000073513537'],
    ['036000291452', '00036000291452'],
    ['0 36000 29145 2', '00036000291452'],
    ['9780306406157', '09780306406157'],
    ['5901234123457', '05901234123457'],
    ['00012345600012', '00012345600012'],
    ['10614141000002', '10614141000002'],
    ['7501031311309', '07501031311309'],
  ])('%s -> %s (valid)', (input, expected) => {
    expect(gtin(input)).toEqual({ value: expected, valid: true });
  });

  it('makes UPC-A and its EAN-13 form equal', () => {
    expect(gtin('036000291452')).toEqual(gtin('0036000291452'));
  });

  it.each([
    ['4006381333932', '04006381333932'],
    ['7501031311308', '07501031311308'],
    ['73513538', '00000073513538'],
    ['036000291453', '00036000291453'],
    ['4260123450001', '04260123450001'],
  ])('%s has a wrong check digit', (input, expected) => {
    expect(gtin(input)).toEqual({ value: expected, valid: false });
  });

  it.each([[null], [''], ['12345'], ['75010313113'], ['750103AAAA309'], ['123456789012345'], ['00000000'], ['n/a']])(
    '%s -> null',
    (input) => {
      expect(gtin(input)).toBeNull();
    },
  );
});

describe('gln', () => {
  it('validates 13-digit GLNs', () => {
    expect(gln('4000001000005')).toEqual({ value: '4000001000005', valid: true });
    expect(gln('0614141000005')).toEqual({ value: '0614141000005', valid: true });
    expect(gln('40 00001 00000 5')).toEqual({ value: '4000001000005', valid: true });
    expect(gln('4000001000006')).toEqual({ value: '4000001000006', valid: false });
    expect(gln('9501101020918')).toEqual({ value: '9501101020918', valid: false });
  });
  it.each([[null], [''], ['400000100000'], ['40000010000050'], ['4000001OOOOO5'], ['0000000000000']])('%s -> null', (input) => {
    expect(gln(input)).toBeNull();
  });
});
