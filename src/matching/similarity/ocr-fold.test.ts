import { describe, expect, it } from 'vitest';
import { ocrFold } from './ocr-fold';

describe('ocrFold', () => {
  it('folds confusable characters and separators', () => {
    expect(ocrFold('sn-8O1l')).toBe(ocrFold('5N 8011'));
    expect(ocrFold('AB-100')).toBe('A8100');
    expect(ocrFold('XZ9')).not.toBe(ocrFold('XY9'));
  });
});
