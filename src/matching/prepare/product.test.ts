import { describe, expect, it } from 'vitest';
import { measures, measureUnits, modelNumbers, modelStems } from './model-numbers';
import { prepareProduct } from './product';
import { withRareTokens } from './token-rarity';
import { NO_REFERENCES } from './types';

const product = (id: number, attributes: Record<string, unknown>) => prepareProduct({ id, source: 'erp', sourceId: String(id), attributes }, NO_REFERENCES);

describe('prepareProduct', () => {
  it('normalizes part numbers, GTIN, manufacturer and name', () => {
    const r = product(0, {
      partNumber: 'PMP-200-X',
      manufacturerPartNumber: 'HM-PMP200X',
      manufacturer: 'Hydromec Industrietechnik GmbH',
      gtin: '4006381333931',
      name: 'Centrifugal Pump PMP-200-X',
      price: '1.234,50',
    });
    expect(r.fields).toMatchObject({
      partNorm: 'PMP200X',
      mpnNorm: 'HMPMP200X',
      gtin: '04006381333931',
      manufacturerKey: 'hydromec',
      nameTokens: ['centrifugal', 'pump', 'pmp', '200', 'x'],
      modelNumbers: ['hmpmp200x', 'pmp200x'],
      price: 1234.5,
    });
  });

  it('keeps a GTIN with a wrong check digit out of the hard rule and drops placeholder prices', () => {
    const r = product(0, { gtin: '4006381333932', price: 0 });
    expect(r.fields.gtin).toBeNull();
    expect(r.fields.gtinAny).toBe('04006381333932');
    expect(r.fields.price).toBeNull();
  });

  it('tells variants apart by model number', () => {
    expect(product(0, { name: 'Pump PMP-200' }).fields.modelNumbers).toEqual(['pmp200']);
    expect(product(1, { name: 'Pump PMP-200-X' }).fields.modelNumbers).toEqual(['pmp200x']);
  });
});

describe('modelNumbers', () => {
  it('finds codes and skips quantities and years', () => {
    expect(modelNumbers('Sony Bravia KDL-52XBR6 52" LCD 2009')).toEqual(['52xbr6', 'kdl52xbr6']);
    expect(modelNumbers('Inverter 1.5kW 400V')).toEqual([]);
    // counts with a word, fractions, ratios and versions are not model numbers
    expect(modelNumbers('Netgear 24-Port 10/100 Switch - FS726TP')).toEqual(['fs726tp']);
    expect(modelNumbers("Weber Performer 22-1/2' Grill - 841001")).toEqual(['841001']);
    expect(modelNumbers('Backup v11.1 2-Line')).toEqual([]);
  });
});

describe('modelStems', () => {
  it('cuts codes after their last digit, keeping plausible model numbers only', () => {
    expect(modelStems(['nnsn667bk', 'nnsn667b'])).toEqual(['nnsn667']);
    expect(modelStems(['du1100xtps', 'du1100ss', 'du1100'])).toEqual(['du1100']);
    // too short, a single digit or no letter left: not a stem
    expect(modelStems(['kx4', 'ab1cd', '24734', 'g10'])).toEqual([]);
    expect(modelStems(null)).toEqual([]);
  });

  it('is prepared with the colours of the name', () => {
    const r = product(0, { name: 'Panasonic Countertop Microwave Oven In Black - NNSN667BK' });
    expect(r.fields.modelStems).toEqual(['nnsn667']);
    expect(r.fields.colours).toEqual(['black']);
    expect(product(1, { name: 'Pump' }).fields.modelStems).toBeNull();
    expect(product(1, { name: 'Pump' }).fields.colours).toBeNull();
  });
});

describe('measures', () => {
  it('reads sizes and ratings with their unit, values normalized', () => {
    expect(measures('Transcend JetFlash V10 16GB USB Flash Drive')).toEqual(['gb:16']);
    expect(measures('Inverter 1,5 kW 400 V')).toEqual(['kw:1.5', 'v:400']);
    expect(measures('Sony 52" LCD TV')).toEqual(['in:52']);
    expect(measures('Canon 8.0 Megapixel PowerShot, 1500 Watt')).toEqual(['mp:8', 'w:1500']);
    // a number glued to letters is a model number, not a size
    expect(measures('Pump PMP-200X, V10 series')).toEqual([]);
    expect(measures(null)).toEqual([]);
  });

  it('gives the units of the sizes, and both are prepared from the name', () => {
    expect(measureUnits(['gb:16', 'gb:8', 'in:52'])).toEqual(['gb', 'in']);
    const r = product(0, { name: 'Transcend JetFlash V10 16GB USB Flash Drive - TS16GJFV10' });
    expect(r.fields).toMatchObject({ measures: ['gb:16'], measureUnits: ['gb'], modelNumbersLong: ['ts16gjfv10'] });
    expect(r.fields.modelNumbers).toEqual(['ts16gjfv10', 'v10']);
  });
});

describe('withRareTokens', () => {
  it('keeps only the words few records use, independent of record order', () => {
    const records = Array.from({ length: 10 }, (_, i) => product(i, { name: i < 2 ? `pump alpha${i === 0 ? '' : ''}` : `pump gamma${i}` }));
    withRareTokens(records, [{ from: 'nameTokens', to: 'nameRare', maxShare: 0.1, minCount: 2 }]);
    expect(records[0].fields.nameRare).toEqual(['alpha']);
    expect(records[5].fields.nameRare).toEqual(['gamma5']);
    const reversed = [...records].reverse().map((r) => ({ ...r, fields: { ...r.fields } }));
    withRareTokens(reversed, [{ from: 'nameTokens', to: 'nameRare', maxShare: 0.1, minCount: 2 }]);
    expect(reversed[9].fields.nameRare).toEqual(['alpha']);
  });
});
