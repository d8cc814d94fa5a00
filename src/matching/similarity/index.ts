export { jaro, jaroWinkler } from './jaro-winkler';
export { levenshtein, levenshteinWithin } from './levenshtein';
export { damerauLevenshtein, damerauLevenshteinWithin } from './damerau-levenshtein';
export { intersectionSize, jaccard, tokenSet, tokenSetContains } from './jaccard';
export { isDateTransposed, isPackedDateTransposed, packDate, parseDate, type DateParts } from './dates';
export { ocrFold } from './ocr-fold';
export { sharesCodePrefix, weightedCosine, weightedOverlap, weightedTokens, type WeightedTokens } from './cosine';
