import { orgName } from '../standardize';
import { attributeText } from './attributes';

export type CustomerKind = 'organization' | 'person';

/**
 * Whether a customer record describes an organization or a person: the `kind` attribute when
 * given; otherwise an organization when the name carries a legal form or there is no given and no
 * family name, a person else.
 *
 * @example
 * ```ts
 * customerKind({ name: 'Acme GmbH', givenName: 'Hans' }) // 'organization'
 * customerKind({ givenName: 'Hans', familyName: 'Maier' }) // 'person'
 * ```
 */
export function customerKind(attributes: Readonly<Record<string, unknown>>): CustomerKind {
  const kind = attributeText(attributes, 'kind')?.toLowerCase();
  if (kind === 'organization' || kind === 'person') return kind;
  const name = attributeText(attributes, 'name');
  if (name && orgName(name)?.legalForm) return 'organization';
  if (!attributeText(attributes, 'givenName') && !attributeText(attributes, 'familyName')) return 'organization';
  return 'person';
}
