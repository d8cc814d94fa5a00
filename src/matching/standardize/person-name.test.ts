import { describe, it, expect } from 'vitest';
import { personName, canonicalGivenName } from './person-name';

describe('personName: parsing', () => {
  it('parses "Given Family"', () => {
    expect(personName('Anna Schmidt')).toEqual({
      given: 'anna', family: 'schmidt', middle: null, initials: 'a', givenCanonical: 'anna', suffix: null,
    });
  });

  it('parses "Family, Given" and "Family, Given Middle"', () => {
    expect(personName('Schmidt, Anna')).toMatchObject({ given: 'anna', family: 'schmidt', middle: null });
    expect(personName('Smith, John Michael')).toMatchObject({ given: 'john', family: 'smith', middle: 'michael', initials: 'jm' });
    expect(personName('Schmidt;Anna')).toMatchObject({ given: 'anna', family: 'schmidt' });
  });

  it('parses "Given M. Family" and initials', () => {
    expect(personName('John F. Kennedy')).toEqual({
      given: 'john', family: 'kennedy', middle: 'f', initials: 'jf', givenCanonical: 'john', suffix: null,
    });
    expect(personName('J. R. R. Tolkien')).toMatchObject({ given: 'j', middle: 'r r', family: 'tolkien', initials: 'jrr' });
    expect(personName('J.R.R. Tolkien')).toMatchObject({ given: 'j', middle: 'r r', family: 'tolkien', initials: 'jrr' });
    expect(personName('J.-P. Sartre')).toMatchObject({ family: 'sartre', initials: 'jp' });
    expect(personName('Jean-Paul Sartre')).toMatchObject({ given: 'jean-paul', family: 'sartre', initials: 'jp' });
  });

  it('folds umlauts canonically so Müller / Mueller are equal', () => {
    const a = personName('Jürgen Müller');
    const b = personName('Juergen Mueller');
    const c = personName('MUELLER, JUERGEN');
    expect(a).toMatchObject({ given: 'juergen', family: 'mueller' });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(personName('Seán Ó Súilleabháin')).toMatchObject({ given: 'sean', family: 'suilleabhain', middle: 'o' });
  });

  it('keeps hyphenated names together and resolves each part', () => {
    expect(personName('Müller, Dr. Hans-Jürgen')).toEqual({
      given: 'hans-juergen', family: 'mueller', middle: null, initials: 'hj',
      givenCanonical: 'johannes-juergen', suffix: null,
    });
    expect(personName('Anna Müller-Lüdenscheidt')).toMatchObject({ family: 'mueller-luedenscheidt' });
  });

  it('removes apostrophes inside names', () => {
    expect(personName("Seán O'Brien")).toMatchObject({ given: 'sean', family: 'obrien' });
    expect(personName('Sean O’Brien')).toMatchObject({ given: 'sean', family: 'obrien' });
  });

  it('attaches family-name particles', () => {
    expect(personName('Ludwig van Beethoven')).toMatchObject({ given: 'ludwig', family: 'van beethoven', middle: null });
    expect(personName('Beethoven, Ludwig van')).toMatchObject({ given: 'ludwig', family: 'van beethoven' });
    expect(personName('Maria de la Cruz')).toMatchObject({ given: 'maria', family: 'de la cruz' });
    expect(personName('Jan van der Berg')).toMatchObject({ given: 'jan', family: 'van der berg' });
    expect(personName('Ursula von der Leyen')).toMatchObject({ given: 'ursula', family: 'von der leyen' });
    expect(personName('Leonardo da Vinci')).toMatchObject({ given: 'leonardo', family: 'da vinci' });
  });

  it('uses capitals to find the family name written first or last', () => {
    expect(personName('DUPONT Jean-Pierre')).toMatchObject({ given: 'jean-pierre', family: 'dupont' });
    expect(personName('Jean-Pierre DUPONT')).toMatchObject({ given: 'jean-pierre', family: 'dupont' });
    expect(personName('YAMADA Taro')).toMatchObject({ given: 'taro', family: 'yamada' });
    expect(personName('Mary-Ann VAN DER BERG')).toMatchObject({ given: 'mary-ann', family: 'van der berg' });
    // All capitals: no signal, default order.
    expect(personName('JOHN SMITH')).toMatchObject({ given: 'john', family: 'smith' });
  });

  it('takes a single word as the family name', () => {
    expect(personName('Madonna')).toEqual({
      given: null, family: 'madonna', middle: null, initials: '', givenCanonical: null, suffix: null,
    });
  });
});

describe('personName: titles and suffixes', () => {
  it.each([
    ['Mr John Smith', 'john', 'smith'],
    ['Mr. John Smith', 'john', 'smith'],
    ['Mrs. Jane Smith', 'jane', 'smith'],
    ['Ms Jane Smith', 'jane', 'smith'],
    ['Miss Jane Smith', 'jane', 'smith'],
    ['Dr. Jane Smith', 'jane', 'smith'],
    ['Prof. Jane Smith', 'jane', 'smith'],
    ['Prof. Dr. Jane Smith', 'jane', 'smith'],
    ['Herr Hans Huber', 'hans', 'huber'],
    ['Frau Anna Huber', 'anna', 'huber'],
    ['Hr. Hans Huber', 'hans', 'huber'],
    ['Dipl.-Ing. Hans Huber', 'hans', 'huber'],
    ['Dipl. Ing. Hans Huber', 'hans', 'huber'],
    ['Ing. Hans Huber', 'hans', 'huber'],
    ['Prof. Dr.-Ing. Hans Huber', 'hans', 'huber'],
    ['Frau Dr. med. Anna Huber', 'anna', 'huber'],
    ['Herr Dipl.-Kfm. Hans Huber', 'hans', 'huber'],
    ['Mag. Anna Huber', 'anna', 'huber'],
    ['Huber, Dr. Hans', 'hans', 'huber'],
    ['Huber, Herr Dipl.-Ing. Hans', 'hans', 'huber'],
    ['Mme Claire Dubois', 'claire', 'dubois'],
    ['Dott. Marco Rossi', 'marco', 'rossi'],
    ['Dott.ssa Giulia Rossi', 'giulia', 'rossi'],
  ])('%s', (input, given, family) => {
    expect(personName(input)).toMatchObject({ given, family, middle: null });
  });

  it.each([
    ['John Smith Jr.', 'jr'],
    ['John Smith Jr', 'jr'],
    ['John Smith, Jr.', 'jr'],
    ['Smith, John, Jr.', 'jr'],
    ['Smith Jr., John', 'jr'],
    ['John Smith Sr.', 'sr'],
    ['John Smith Senior', 'sr'],
    ['John Smith II', 'ii'],
    ['John Smith III', 'iii'],
    ['John Smith IV', 'iv'],
    ['Hans Huber jun.', 'jr'],
    ['Hans Huber sen.', 'sr'],
  ])('%s -> suffix %s', (input, suffix) => {
    expect(personName(input)).toMatchObject({ given: expect.stringMatching(/^(john|hans)$/), family: expect.stringMatching(/^(smith|huber)$/), suffix });
  });

  it('drops credentials and nicknames in quotes or parentheses', () => {
    expect(personName('Jane Smith PhD')).toMatchObject({ given: 'jane', family: 'smith', suffix: null });
    expect(personName('Jane Smith, MBA')).toMatchObject({ given: 'jane', family: 'smith' });
    expect(personName('Robert "Bob" J. Smith Jr.')).toEqual({
      given: 'robert', family: 'smith', middle: 'j', initials: 'rj', givenCanonical: 'robert', suffix: 'jr',
    });
    expect(personName('Anna Schmidt (geb. Meier)')).toMatchObject({ given: 'anna', family: 'schmidt' });
  });

  it('does not mistake short family names or given names for titles', () => {
    expect(personName('Jack Ma')).toMatchObject({ given: 'jack', family: 'ma' });
    expect(personName('Don Johnson')).toMatchObject({ given: 'don', family: 'johnson', givenCanonical: 'donald' });
    expect(personName('Pan Wei')).toMatchObject({ given: 'pan', family: 'wei' });
  });
});

describe('personName: nicknames', () => {
  it.each([
    ['Bob Smith', 'robert'], ['Rob Smith', 'robert'], ['Robbie Smith', 'robert'],
    ['Bill Smith', 'william'], ['Will Smith', 'william'], ['Willy Smith', 'william'],
    ['Jim Smith', 'james'], ['Jimmy Smith', 'james'],
    ['Dick Smith', 'richard'], ['Rick Smith', 'richard'],
    ['Kate Smith', 'catherine'], ['Katie Smith', 'catherine'], ['Cathy Smith', 'catherine'], ['Katherine Smith', 'catherine'],
    ['Liz Smith', 'elizabeth'], ['Beth Smith', 'elizabeth'], ['Betty Smith', 'elizabeth'],
    ['Peggy Smith', 'margaret'], ['Maggie Smith', 'margaret'],
    ['Tony Smith', 'anthony'], ['Mike Smith', 'michael'], ['Dave Smith', 'david'], ['Chris Smith', 'christopher'],
    ['Jon Smith', 'john'], ['Johnny Smith', 'john'], ['Jack Smith', 'john'],
    ['Steve Smith', 'stephen'], ['Steven Smith', 'stephen'], ['Tom Smith', 'thomas'], ['Ted Smith', 'edward'],
    ['Hans Huber', 'johannes'], ['Sepp Huber', 'joseph'], ['Josef Huber', 'joseph'], ['Fritz Huber', 'friedrich'],
    ['Uli Huber', 'ulrich'], ['Willi Huber', 'wilhelm'], ['Heinz Huber', 'heinrich'], ['Jochen Huber', 'joachim'],
    ['Bärbel Huber', 'barbara'], ['Liesel Huber', 'elizabeth'], ['Gretel Huber', 'margaret'], ['Resi Huber', 'theresa'],
    ['Anna Huber', 'anna'], ['Robert Smith', 'robert'],
  ])('%s -> %s', (input, canonical) => {
    expect(personName(input)?.givenCanonical).toBe(canonical);
  });

  it('canonicalGivenName works on raw given names', () => {
    expect(canonicalGivenName('Bob')).toBe('robert');
    expect(canonicalGivenName(' SEPP ')).toBe('joseph');
    expect(canonicalGivenName('hans-uli')).toBe('johannes-ulrich');
    expect(canonicalGivenName('Jürgen')).toBe('juergen');
  });
});

describe('personName: empty and garbage', () => {
  it.each([[null], [undefined], [''], ['   '], ['Mr.'], ['Dr. Prof.'], ['---'], ['12345'], [',,,']])('%s -> null', (input) => {
    expect(personName(input)).toBeNull();
  });
});
