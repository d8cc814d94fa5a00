/*
 * Colours named in product names. Catalogs list one model in several colours as separate
 * products ("Sony Cyber-shot DSC-W150 Black" / "... Gold"), often with the same model number up
 * to a suffix: two names that state different colours are different products.
 */

import { fold } from './text';

/**
 * Colour words (folded) in English, German, French, Spanish and Italian, and the usual three-letter
 * catalog abbreviations (BLK, WHT, SLV), by canonical English name.
 */
const COLOURS: Readonly<Record<string, readonly string[]>> = {
  black: ['black', 'blk', 'schwarz', 'noir', 'noire', 'negro', 'negra', 'nero', 'nera'],
  white: ['white', 'wht', 'weiss', 'blanc', 'blanche', 'blanco', 'blanca', 'bianco', 'bianca'],
  silver: ['silver', 'slv', 'silber', 'argent', 'argente', 'plata', 'plateado', 'argento'],
  grey: ['grey', 'gray', 'gry', 'grau', 'gris', 'grigio'],
  red: ['red', 'rot', 'rouge', 'rojo', 'roja', 'rosso'],
  blue: ['blue', 'blau', 'bleu', 'azul', 'blu'],
  green: ['green', 'grn', 'gruen', 'vert', 'verte', 'verde'],
  yellow: ['yellow', 'gelb', 'jaune', 'amarillo', 'giallo'],
  pink: ['pink', 'pnk', 'rosa'],
  purple: ['purple', 'violet', 'lila', 'viola', 'morado'],
  orange: ['orange', 'naranja', 'arancione'],
  brown: ['brown', 'braun', 'marron', 'marrone'],
  gold: ['gold', 'golden', 'dore', 'dorado', 'oro'],
  beige: ['beige'],
  navy: ['navy'],
};

/** A colour word before one of these names a feature, not a colour ("Blu-ray", "red-eye reduction"). */
const NOT_A_COLOUR_AFTER = new Set(['ray', 'eye']);

const CANONICAL = new Map<string, string>();
for (const [colour, words] of Object.entries(COLOURS)) for (const word of words) CANONICAL.set(word, colour);

/**
 * The colours a text names, as canonical English names, sorted and distinct (empty when none).
 * Words are matched whole after folding case and diacritics ("Weiß" -> white, "Noir" -> black);
 * "Blu-ray" and "red-eye" are features, not colours.
 *
 * @example
 * ```ts
 * colours('Sony Cyber-shot DSC-W150 Digital Camera - Gold') // ['gold']
 * colours('Kaffeemaschine Schwarz/Weiß')                    // ['black', 'white']
 * colours('Centrifugal Pump PMP-200')                       // []
 * ```
 */
export function colours(text: string | null | undefined): string[] {
  if (!text) return [];
  const out = new Set<string>();
  const words = fold(text).split(/[^a-z]+/);
  for (let i = 0; i < words.length; i++) {
    const colour = CANONICAL.get(words[i]);
    if (colour && !NOT_A_COLOUR_AFTER.has(words[i + 1])) out.add(colour);
  }
  return [...out].sort();
}
