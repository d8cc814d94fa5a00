import type { ExplanationRow } from '../../matching/scoring';
import { builder } from '../builder';

/** An explanation row as the caller may see it: values hidden when they are personal data and the key lacks `pii`. */
export interface ExplanationView {
  row: ExplanationRow;
  redacted: boolean;
}

// Comparisons and rules of the match models whose values are personal data (see pii.ts).
const PERSONAL = new Set(['givenName', 'familyName', 'dob', 'dateOfBirth', 'nationalId', 'phone', 'email']);

/**
 * The rows of a pair's explanation for a caller: personal values (names of persons, e-mails,
 * phones, dates of birth, national ids) are blanked without the `pii` scope.
 *
 * @example
 * ```ts
 * explanationViews(rows, { canSeePii: false, model: 'customer-person' }) // the name row has redacted: true
 * ```
 */
export function explanationViews(rows: readonly unknown[], options: { canSeePii: boolean; model?: string | null }): ExplanationView[] {
  const person = options.model === 'customer-person';
  return (rows as ExplanationRow[]).map((row) => {
    const personal = PERSONAL.has(row.comparison) || (person && row.comparison === 'name');
    const redacted = !options.canSeePii && personal && (row.leftValue !== null || row.rightValue !== null);
    return { row, redacted };
  });
}

const finite = (n: number | null | undefined) => (typeof n === 'number' && Number.isFinite(n) ? n : null);

export const ExplanationKindEnum = builder.enumType('ExplanationKind', {
  values: {
    PRIOR: { value: 'prior', description: 'The prior: the probability that two random records match.' },
    COMPARISON: { value: 'comparison', description: 'One comparison of the model at the level the pair reached.' },
    RULE: { value: 'rule', description: 'A deterministic rule that fired (equal or conflicting identifiers), or a competition demotion.' },
  } as const,
});

/** One row of a match explanation (Fellegi-Sunter): rows' weights add up to the pair's weight. */
export const ExplanationRowRef = builder.objectRef<ExplanationView>('ExplanationRow').implement({
  description: 'One line of a match explanation, as the matching engine produced it. The weights of a pair\'s rows add up to its weight.',
  fields: (t) => ({
    kind: t.field({ type: ExplanationKindEnum, resolve: (v) => v.row.kind }),
    comparison: t.string({ description: '"prior", the comparison\'s name or the rule\'s name.', resolve: (v) => v.row.comparison }),
    level: t.int({ description: 'Level index within the comparison (0 = a value is missing); -1 for the prior and rules.', resolve: (v) => v.row.level }),
    label: t.string({ description: 'The level\'s label, e.g. "exact", "jaro-winkler >= 0.92".', resolve: (v) => v.row.label }),
    leftValue: t.field({ type: 'JSON', nullable: true, description: 'The prepared (standardized) value of the left record.', resolve: (v) => (v.redacted ? null : v.row.leftValue) }),
    rightValue: t.field({ type: 'JSON', nullable: true, description: 'The prepared value of the right record.', resolve: (v) => (v.redacted ? null : v.row.rightValue) }),
    m: t.float({ nullable: true, description: 'P(level | match); null for the prior, rules and the null level.', resolve: (v) => finite(v.row.m) }),
    u: t.float({ nullable: true, description: 'P(level | non-match).', resolve: (v) => finite(v.row.u) }),
    bayesFactor: t.float({ nullable: true, description: '2^weight.', resolve: (v) => finite(v.row.bayesFactor) }),
    weight: t.float({ nullable: true, description: 'Bits of evidence this row adds (term-frequency adjustment included).', resolve: (v) => finite(v.row.weight) }),
    tfAdjustment: t.float({ nullable: true, description: 'Bits of weight from term frequency, when the level is adjusted.', resolve: (v) => finite(v.row.tfAdjustment) }),
    valuesRedacted: t.boolean({ description: 'True when leftValue/rightValue were blanked (personal data, key without `pii`).', resolve: (v) => v.redacted }),
  }),
});
