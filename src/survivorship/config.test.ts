import { describe, expect, it } from 'vitest';
import { parseSurvivorshipConfig, survivableAttributes } from './config';

const base = { entity: 'customer', defaultStrategies: [{ strategy: 'mostRecent' }] };

describe('parseSurvivorshipConfig', () => {
  it('accepts a minimal config and fills defaults', () => {
    const r = parseSurvivorshipConfig(base);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config).toMatchObject({ trust: {}, attributes: {}, groups: {} });
  });

  it('rejects references, unknown attributes and unknown keys with precise paths', () => {
    const r = parseSurvivorshipConfig({
      ...base,
      attributes: {
        parentRef: { strategies: [{ strategy: 'mostRecent' }] },
        colour: { strategies: [{ strategy: 'mostRecent' }] },
      },
      extra: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.some((e) => e.includes('extra'))).toBe(true);
  });

  it('reports attribute problems by path', () => {
    const r = parseSurvivorshipConfig({
      ...base,
      attributes: {
        parentRef: { strategies: [{ strategy: 'mostRecent' }] },
        colour: { strategies: [{ strategy: 'mostRecent' }] },
      },
    });
    expect(r).toEqual({
      ok: false,
      errors: [
        'attributes.parentRef: parentRef is a reference: it becomes a golden-to-golden relationship, not a survived attribute',
        expect.stringMatching(/^attributes\.colour: "colour" is not a customer attribute \(known: kind, name, /),
      ],
    });
  });

  it('allows aggregate only as the first rule of an attribute', () => {
    const r = parseSurvivorshipConfig({
      ...base,
      defaultStrategies: [{ strategy: 'aggregate' }],
      attributes: { phone: { strategies: [{ strategy: 'mostRecent' }, { strategy: 'aggregate' }] } },
    });
    expect(r.ok ? [] : r.errors).toEqual([
      'defaultStrategies.0: aggregate is only allowed as the first rule of an attribute, not here',
      'attributes.phone.strategies.1: aggregate must be the first rule; the rules after it order the values',
    ]);
  });

  it('checks groups: members exist, belong to one group, are not configured alone', () => {
    const r = parseSurvivorshipConfig({
      ...base,
      attributes: { city: { strategies: [{ strategy: 'mostRecent' }] } },
      groups: {
        address: { attributes: ['street', 'city'], strategies: [{ strategy: 'mostRecent' }] },
        other: { attributes: ['city', 'zip'], strategies: [{ strategy: 'mostRecent' }] },
      },
    });
    expect(r.ok ? [] : r.errors).toEqual([
      'groups.other.attributes.0: city is already in group address; an attribute belongs to one group',
      expect.stringMatching(/^groups\.other\.attributes\.1: "zip" is not a customer attribute/),
      "attributes.city: city belongs to group other; configure the group's strategies instead",
    ]);
  });

  it('requires trust profiles for trustDecay and validates them', () => {
    const missing = parseSurvivorshipConfig({ ...base, defaultStrategies: [{ strategy: 'trustDecay' }] });
    expect(missing.ok ? [] : missing.errors).toEqual([
      'defaultStrategies.0: trustDecay needs trust profiles: set "trust" on the rule or at the top level of the config',
    ]);
    const bad = parseSurvivorshipConfig({
      ...base,
      trust: { erp: { maxTrust: 50, minTrust: 60, decayPeriod: { value: 1, unit: 'fortnights' }, curve: 'SIRL' } },
    });
    expect(bad.ok ? [] : bad.errors).toEqual([
      expect.stringMatching(/^trust\.erp\.decayPeriod\.unit: /),
    ]);
    const inverted = parseSurvivorshipConfig({
      ...base,
      trust: { erp: { maxTrust: 50, minTrust: 60, decayPeriod: { value: 1, unit: 'years' }, curve: 'SIRL' } },
    });
    expect(inverted.ok ? [] : inverted.errors).toEqual(['trust.erp.minTrust: minTrust must not exceed maxTrust']);
  });

  it('rejects a source listed twice and an unknown strategy', () => {
    const r = parseSurvivorshipConfig({
      ...base,
      attributes: { email: { strategies: [{ strategy: 'sourcePriority', sources: ['crm', 'crm'] }] } },
    });
    expect(r.ok ? [] : r.errors).toEqual(['attributes.email.strategies.0.sources: sources are listed twice: crm, crm']);
    expect(parseSurvivorshipConfig({ ...base, defaultStrategies: [{ strategy: 'coinFlip' }] }).ok).toBe(false);
  });
});

describe('survivableAttributes', () => {
  it('leaves references out', () => {
    expect(survivableAttributes('asset')).toEqual(['serialNumber', 'partNumber', 'name', 'installDate', 'status']);
    expect(survivableAttributes('contract')).not.toContain('assetRefs');
  });
});
