import type { Level } from './schema';

/**
 * A short human label for a level, used when the model gives none.
 *
 * @example
 * ```ts
 * describeLevel({ kind: 'jaroWinkler', min: 0.92 }) // 'Jaro-Winkler >= 0.92'
 * ```
 */
export function describeLevel(level: Level): string {
  if (level.label) return level.label;
  const text = describeKind(level);
  return 'acrossSources' in level && level.acrossSources ? `${text}, between two sources` : text;
}

function describeKind(level: Level): string {
  const on = 'field' in level && level.field ? ` (${level.field})` : '';
  switch (level.kind) {
    case 'null':
      return 'missing on either side';
    case 'exact':
      return `exact match${on}`;
    case 'exactOcr':
      return `exact after OCR fold${level.fold ? ` (${level.fold})` : on}`;
    case 'jaroWinkler':
      return `Jaro-Winkler >= ${level.min}${on}`;
    case 'levenshtein':
      return `Levenshtein <= ${level.max}${on}`;
    case 'damerauLevenshtein':
      return `Damerau-Levenshtein <= ${level.max}${on}`;
    case 'jaccard':
      return `token Jaccard >= ${level.min}${on}`;
    case 'tokenCosine':
      return `IDF-weighted token ${level.measure === 'overlap' ? 'overlap' : 'cosine'} >= ${level.min}${on}`;
    case 'codePrefix':
      return `a code is a prefix of the other's (>= ${level.minLength} characters)${on}`;
    case 'tokenSetContains':
      return `one token set contains the other${on}`;
    case 'arrayIntersect':
      return `at least ${level.min} shared element${level.min === 1 ? '' : 's'}${on}`;
    case 'dateWithin':
      return `dates within ${level.days} day${level.days === 1 ? '' : 's'}${on}`;
    case 'dateTransposed':
      return `day/month swapped or year typo${on}`;
    case 'numericRelative':
      return `within ${level.maxRel * 100}%${on}`;
    case 'numericAbsolute':
      return `within ${level.max}${on}`;
    case 'prefix':
      return `first ${level.length} characters equal${on}`;
    case 'cutPrefix':
      return level.between === 'twoCuts' ? 'two cut values, one the beginning of the other' : 'a cut value is the beginning of the other\'s whole value';
    case 'swapped':
      return 'fields swapped';
    case 'cross':
      return level.min === undefined ? 'fields crosswise equal' : `fields crosswise Jaro-Winkler >= ${level.min}`;
    case 'crossIn':
      return "one record's second field is in the other's first";
    case 'absent':
      return `${level.field} missing on both sides`;
    case 'dateParts':
      return `same ${level.parts.join(' and ')}${on}`;
    case 'else':
      return 'all other';
  }
}
