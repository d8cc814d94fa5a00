/** One prepared field value: text, number, list of text (e.g. tokens), or missing. */
export type PreparedValue = string | number | string[] | null;

/**
 * A record after standardization: dense integer id, its source system, and prepared fields.
 *
 * @example
 * ```ts
 * const r: PreparedRecord = { id: 0, source: 'erp', fields: { familyName: 'muller', dob: '1980-02-01' } };
 * ```
 */
export interface PreparedRecord {
  id: number;
  source: string;
  fields: Record<string, PreparedValue>;
}
