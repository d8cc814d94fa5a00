/**
 * Standardization functions for the matching layer: pure functions that
 * normalize attribute values before blocking and comparison.
 *
 * @example
 * ```ts
 * import { orgName, streetAddress, postalCode, countryCode } from './standardize';
 * orgName('Müller Maschinenbau GmbH & Co. KG')?.name   // 'mueller maschinenbau'
 * streetAddress('Industriestr. 12a')                  // { street: 'industriestrasse', houseNumber: '12a' }
 * postalCode('1067', 'DE')?.postalCode                // '01067'
 * countryCode('Deutschland')                          // 'DE'
 * ```
 *
 * @module
 */
export * from './text';
export * from './org-name';
export * from './person-name';
export * from './address';
export * from './country';
export * from './phone';
export * from './email';
export * from './identifiers';
export * from './serial';
export * from './phonetic';
export * from './date';
export * from './colour';
