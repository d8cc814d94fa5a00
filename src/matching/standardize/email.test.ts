import { describe, it, expect } from 'vitest';
import { email } from './email';

describe('email', () => {
  it.each([
    ['jane.doe@example.com', 'jane.doe@example.com'],
    ['  Jane.Doe@Example.COM  ', 'jane.doe@example.com'],
    ['jane.doe+crm@example.com', 'jane.doe@example.com'],
    ['jane.doe+crm+2024@example.com', 'jane.doe@example.com'],
    ['John.Doe@gmail.com', 'johndoe@gmail.com'],
    ['j.o.h.n.doe+newsletter@gmail.com', 'johndoe@gmail.com'],
    ['John.Doe+x@GoogleMail.com', 'johndoe@gmail.com'],
    ['mailto:info@mueller-maschinenbau.de', 'info@mueller-maschinenbau.de'],
    ['Jane Doe <Jane.Doe+crm@Example.COM>', 'jane.doe@example.com'],
    ['"Service" <service@acme.co.uk>', 'service@acme.co.uk'],
    ['o\'brien@example.ie', 'o\'brien@example.ie'],
    ['info@example.com.', 'info@example.com'],
    ['info@xn--mller-kva.de', 'info@xn--mller-kva.de'],
    ['info@müller.de', 'info@müller.de'],
    ['first_last-1@sub.domain.example.org', 'first_last-1@sub.domain.example.org'],
  ])('%s -> %s', (input, expected) => {
    expect(email(input)?.email).toBe(expected);
  });

  it('returns the parts', () => {
    expect(email('John.Doe+newsletter@GoogleMail.com')).toEqual({ email: 'johndoe@gmail.com', local: 'johndoe', domain: 'gmail.com' });
    expect(email('Jane.Doe+crm@Example.COM')).toEqual({ email: 'jane.doe@example.com', local: 'jane.doe', domain: 'example.com' });
  });

  it('keeps dots for non-Gmail domains', () => {
    expect(email('john.doe@outlook.com')?.local).toBe('john.doe');
  });

  it.each([
    [null], [undefined], [''], ['   '], ['not an email'], ['jane.doe'], ['@example.com'], ['jane@'], ['jane@@example.com'],
    ['jane@doe@example.com'], ['jane doe@example.com'], ['jane..doe@example.com'], ['.jane@example.com'],
    ['jane.@example.com'], ['jane@localhost'], ['jane@example.c'], ['jane@example.123'], ['jane@-example.com'],
    ['jane@example-.com'], ['jane@exa_mple.com'], ['n/a'], ['-'], ['+@gmail.com'], ['...@gmail.com'],
    [`${'a'.repeat(65)}@example.com`],
  ])('%s -> null', (input) => {
    expect(email(input)).toBeNull();
  });
});
