import { describe, expect, it } from 'vitest';
import { streetVariant } from './addresses';
import { legalFormVariant, orgName } from './companies';
import { countryByCode } from './countries';
import { foldDiacritics, jitterDate, ocrConfuse, typo, varyPartNumber } from './noise';
import { formatPhone, landline } from './phones';
import { Rng } from './random';
import { serialVariant } from './serials';

const alnum = (s: string) => s.replace(/[^0-9a-z]/gi, '').toUpperCase();

describe('noise primitives', () => {
  const rng = new Rng(3);

  it('folds diacritics', () => {
    expect(foldDiacritics('Krüger Straße', 'expand')).toBe('Krueger Strasse');
    expect(foldDiacritics('Krüger', 'strip')).toBe('Kruger');
    expect(foldDiacritics('Łódź Wrocław', 'strip')).toBe('Lodz Wroclaw');
    expect(foldDiacritics('Société Générale', 'strip')).toBe('Societe Generale');
  });

  it('makes one small edit', () => {
    for (let i = 0; i < 200; i++) {
      const t = typo(rng, 'Maschinenbau');
      expect(Math.abs(t.length - 12)).toBeLessThanOrEqual(1);
      expect(t[0]).toBe('M');
    }
  });

  it('confuses one OCR character', () => {
    for (let i = 0; i < 200; i++) {
      const s = ocrConfuse(rng, 'SN-1000231');
      expect(s).toHaveLength(10);
      let diff = 0;
      for (let k = 0; k < s.length; k++) if (s[k] !== 'SN-1000231'[k]) diff++;
      expect(diff).toBe(1);
    }
  });

  it('keeps dates ISO and close', () => {
    for (let i = 0; i < 200; i++) {
      const d = jitterDate(rng, '2024-05-07');
      expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(['2024-05-06', '2024-05-08', '2024-07-05']).toContain(d);
    }
    for (let i = 0; i < 50; i++) expect(['2024-05-19', '2024-05-21']).toContain(jitterDate(rng, '2024-05-20'));
  });

  it('changes part-number separators and case only', () => {
    for (let i = 0; i < 100; i++) expect(alnum(varyPartNumber(rng, 'PMP-200-X'))).toBe('PMP200X');
  });

  it('writes serial labels and separators', () => {
    for (let i = 0; i < 100; i++) {
      const v = serialVariant(rng, 'SN-00A7-4411');
      expect(alnum(v).endsWith('00A74411')).toBe(true);
    }
  });

  it('abbreviates street words', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) seen.add(streetVariant(rng, 'Industriestraße', 'de'));
    expect(seen).toContain('Industriestr.');
    expect(seen).toContain('Industriestrasse');
    expect(streetVariant(rng, 'North Main Street', 'en')).not.toBe('North Main Street');
  });

  it('writes legal forms long, short or not at all', () => {
    const de = countryByCode('DE');
    const org = orgName(rng, de, 'Krüger', 'Maschinenbau', de.legalForms[0]);
    expect(org.name).toBe('Krüger Maschinenbau GmbH');
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(legalFormVariant(rng, org));
    expect(seen).toContain('Krüger Maschinenbau Gesellschaft mit beschränkter Haftung');
    expect(seen).toContain('Krüger Maschinenbau');
  });

  it('formats phone numbers', () => {
    const de = countryByCode('DE');
    const stuttgart = de.cities[0];
    const p = { ...landline(rng, de, stuttgart), subscriber: '123456' };
    expect(formatPhone(p, 'international')).toBe('+49 711 123456');
    expect(formatPhone(p, 'nationalDash')).toBe('0711-123456');
    expect(formatPhone(p, 'iddCompact')).toBe('0049711123456');
    expect(formatPhone(p, 'intlTrunk')).toBe('+49 (0)711 123456');
    const us = countryByCode('US');
    const q = { country: us, area: '312', subscriber: '5550142' };
    expect(formatPhone(q, 'national')).toBe('(312) 555-0142');
  });
});
