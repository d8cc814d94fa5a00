import { describe, expect, it } from 'vitest';
import { colours } from './colour';

describe('colours', () => {
  it('names the colours of a text in canonical English, sorted and distinct', () => {
    expect(colours('Sony Cyber-shot DSC-W150 Digital Camera - Gold')).toEqual(['gold']);
    expect(colours('Nintendo DS Lite (Crimson & Black) / BLACK')).toEqual(['black']);
    expect(colours('Speaker Grey/Gray')).toEqual(['grey']);
  });

  it('folds case and diacritics and knows German, French, Spanish and Italian words', () => {
    expect(colours('Kaffeemaschine Schwarz/Weiß')).toEqual(['black', 'white']);
    expect(colours('Bouilloire Noire, finition argentée')).toEqual(['black']);
    expect(colours('Cafetera Roja')).toEqual(['red']);
    expect(colours('Frigorifero Grigio')).toEqual(['grey']);
  });

  it('knows the three-letter catalog abbreviations', () => {
    expect(colours('Ex Series Earbuds - MDR EX32LP/BLK')).toEqual(['black']);
    expect(colours('Ex Series Earbuds Wht - MDR EX55/WHT')).toEqual(['white']);
  });

  it('does not read Blu-ray or red-eye reduction as a colour', () => {
    expect(colours('Sony BDP-S350 Blu-ray Disc Player - Black')).toEqual(['black']);
    expect(colours('Canon PowerShot G10 Face Detection & Red Eye Correction')).toEqual([]);
    expect(colours('Red/Blue Finish')).toEqual(['blue', 'red']);
  });

  it('matches whole words only', () => {
    expect(colours('Redundant Blueprint Goldsmith Reddish')).toEqual([]);
    expect(colours('')).toEqual([]);
    expect(colours(null)).toEqual([]);
  });
});
