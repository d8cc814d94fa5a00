import { describe, expect, it } from 'vitest';
import { describeLevel } from './describe';
import { levelSchema } from './schema';

describe('describeLevel', () => {
  it('builds a label from the kind, and says when a level holds between two sources only', () => {
    expect(describeLevel(levelSchema.parse({ kind: 'jaroWinkler', min: 0.92 }))).toBe('Jaro-Winkler >= 0.92');
    expect(describeLevel(levelSchema.parse({ kind: 'codePrefix', minLength: 5, acrossSources: true }))).toBe(
      "a code is a prefix of the other's (>= 5 characters), between two sources",
    );
    expect(describeLevel(levelSchema.parse({ kind: 'exact', label: 'same code', acrossSources: true }))).toBe('same code');
  });
});
