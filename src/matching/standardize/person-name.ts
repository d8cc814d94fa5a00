/**
 * Person name standardization: parsing into given / middle / family name,
 * removal of titles and generational suffixes, initials, and a nickname
 * table mapping common short forms to a canonical given name.
 *
 * All output is folded with the canonical {@link fold} ("Jürgen" ->
 * "juergen"). Hyphenated names stay one name ("hans-peter").
 *
 * Parsing rules, in order:
 * - commas split "Family, Given Middle" (a segment that is only a suffix,
 *   as in "Smith, John, Jr." or "John Smith, Jr.", is not a name segment);
 * - leading titles are dropped per segment ("Dr. med.", "Prof. Dr.-Ing.",
 *   "Herr", "Frau", "Mrs", "Dipl.-Ing.", ...); trailing generational suffixes
 *   (Jr, Sr, II, III, IV) are reported in `suffix`, trailing credentials
 *   (PhD, MBA, Esq) are dropped;
 * - without a comma, a family name written in capitals next to a given name
 *   in normal case ("DUPONT Jean", "Jean DUPONT") is the family name;
 * - otherwise "Given [Middle...] Family", where family-name particles in
 *   front of the last word (van, von, de, der, da, di, la, le, ...) belong
 *   to the family name ("Ludwig van Beethoven" -> family "van beethoven");
 * - a single word is taken as the family name.
 *
 * @module
 */
import { fold, toText, type Raw } from './text';

/** A parsed, standardized person name. */
export interface PersonName {
  /** First given name, folded (e.g. `'juergen'`, `'hans-peter'`, `'j'` for an initial), or `null`. */
  given: string | null;
  /** Family name including particles (e.g. `'van der berg'`), or `null`. */
  family: string | null;
  /** Further given names or initials, space separated, or `null`. */
  middle: string | null;
  /** First letters of all given and middle name parts, e.g. `'jrr'` for "J. R. R. Tolkien"; `''` if none. */
  initials: string;
  /** The given name with nicknames resolved ("bob" -> "robert"), or `null` without a given name. */
  givenCanonical: string | null;
  /** Generational suffix: `'jr'`, `'sr'`, `'ii'`, `'iii'`, `'iv'`, or `null`. */
  suffix: string | null;
}

/** Titles and honorifics dropped in front of a name (dots removed, lowercase, folded). */
const TITLES: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'mister', 'dr', 'doctor', 'prof', 'professor', 'sir', 'dame', 'rev', 'fr',
  'herr', 'frau', 'hr', 'fraeulein', 'frl',
  'dipl', 'dipl-ing', 'diplom-ingenieur', 'dipl-kfm', 'dipl-kff', 'dipl-oek', 'dipl-inform', 'dipl-phys',
  'dipl-chem', 'dipl-wirt-ing', 'dr-ing', 'ing', 'mag', 'med', 'dent', 'vet', 'rer', 'nat', 'pol', 'oec', 'jur',
  'phil', 'habil', 'hc', 'univ', 'priv-doz', 'doz',
  'mme', 'mlle', 'monsieur', 'madame', 'mademoiselle', 'me',
  'sig', 'sigra', 'dott', 'dottssa', 'avv', 'geom', 'rag', 'arch',
  'pani', 'sr', 'sra', 'srta',
]);

/** Trailing credentials that carry no identity information. */
const CREDENTIALS: ReadonlySet<string> = new Set([
  'phd', 'md', 'dds', 'esq', 'mba', 'msc', 'bsc', 'cpa', 'dipl-ing',
]);

/** Generational suffixes -> canonical form. */
const SUFFIXES: ReadonlyMap<string, string> = new Map([
  ['jr', 'jr'], ['jnr', 'jr'], ['jun', 'jr'], ['junior', 'jr'],
  ['sr', 'sr'], ['snr', 'sr'], ['sen', 'sr'], ['senior', 'sr'],
  ['ii', 'ii'], ['2nd', 'ii'], ['iii', 'iii'], ['3rd', 'iii'], ['iv', 'iv'], ['4th', 'iv'],
]);

/** Family-name particles that attach to the following word. */
const PARTICLES: ReadonlySet<string> = new Set([
  'van', 'von', 'vom', 'zu', 'zum', 'zur', 'de', 'der', 'den', 'des', 'del', 'della', 'dalla', 'dei', 'degli', 'di',
  'da', 'das', 'do', 'dos', 'du', 'la', 'le', 'lo', 'ten', 'ter', 'te', 'op', 'bin', 'ibn', 'al', 'el', 'y', 'st',
  "van't", 'vant',
]);

/**
 * Nicknames and spelling variants -> canonical given name (folded, lowercase).
 * English and German short forms; a name that is its own canonical form is
 * not listed. Where a short form is shared (e.g. "Willy"), the English
 * reading wins; the German "Willi" maps to "wilhelm".
 */
const NICKNAME_GROUPS: ReadonlyArray<readonly [string, readonly string[]]> = [
  // English
  ['abigail', ['abby', 'abbie']],
  ['abraham', ['abe']],
  ['alexander', ['alex', 'alec', 'xander']],
  ['alexandra', ['lexi', 'alexa']],
  ['alfred', ['alf', 'alfie']],
  ['amanda', ['mandy']],
  ['andrew', ['andy', 'drew']],
  ['anthony', ['tony', 'antony']],
  ['arthur', ['art', 'artie']],
  ['barbara', ['barb', 'barbie', 'babs']],
  ['bartholomew', ['bart']],
  ['benjamin', ['ben', 'benny', 'benji']],
  ['bradley', ['brad']],
  ['catherine', ['kate', 'katie', 'katy', 'cathy', 'kathy', 'kat', 'kitty', 'katherine', 'kathryn',
    'katharine', 'catharine', 'cathryn']],
  ['charles', ['charlie', 'chuck', 'chas', 'chaz']],
  ['charlotte', ['lottie', 'charlie']],
  ['christine', ['chrissy', 'christy', 'tina']],
  ['christopher', ['chris', 'topher']],
  ['clifford', ['cliff']],
  ['cynthia', ['cindy']],
  ['daniel', ['dan', 'danny']],
  ['david', ['dave', 'davey', 'davy']],
  ['deborah', ['deb', 'debbie', 'debby', 'debra']],
  ['donald', ['don', 'donny', 'donnie']],
  ['dorothy', ['dot', 'dottie', 'dolly']],
  ['douglas', ['doug']],
  ['edward', ['ed', 'eddie', 'eddy', 'ned', 'ted']],
  ['elizabeth', ['liz', 'lizzie', 'lizzy', 'beth', 'betty', 'betsy', 'bess', 'bessie', 'eliza', 'libby', 'elisabeth',
    'elsbeth', 'liesel', 'liesl', 'lisbeth', 'sissi', 'sisi']],
  ['ernest', ['ernie']],
  ['eugene', ['gene']],
  ['ezekiel', ['zeke']],
  ['frances', ['fran', 'frannie']],
  ['francis', ['frankie']],
  ['frederick', ['fred', 'freddie', 'freddy', 'frederic']],
  ['gabriel', ['gabe']],
  ['gerald', ['gerry', 'jerry']],
  ['gertrude', ['trudy', 'gertie']],
  ['gilbert', ['gil']],
  ['gregory', ['greg']],
  ['harriet', ['hattie']],
  ['henry', ['hank', 'harry', 'hal']],
  ['herbert', ['herb']],
  ['isabella', ['bella', 'izzy']],
  ['jacob', ['jake']],
  ['james', ['jim', 'jimmy', 'jimbo', 'jamie', 'jem']],
  ['jeffrey', ['jeff', 'geoffrey', 'geoff']],
  ['jennifer', ['jen', 'jenn', 'jenny']],
  ['jessica', ['jess', 'jessie']],
  ['john', ['jon', 'johnny', 'jonny', 'jack']],
  ['joseph', ['joe', 'joey', 'josef', 'sepp', 'seppl', 'jupp']],
  ['joshua', ['josh']],
  ['judith', ['judy', 'jude']],
  ['kenneth', ['ken', 'kenny']],
  ['kimberly', ['kim']],
  ['lawrence', ['larry', 'laurence']],
  ['leonard', ['len', 'lenny']],
  ['louis', ['lou']],
  ['madeline', ['maddie', 'maddy']],
  ['manuel', ['manny']],
  ['margaret', ['peggy', 'maggie', 'meg', 'madge', 'margie', 'greta', 'gretel', 'grete', 'margarete', 'margarethe']],
  ['martin', ['marty']],
  ['mary', ['molly', 'polly', 'mae', 'mamie']],
  ['maria', ['mitzi', 'mizzi']],
  ['matthew', ['matt', 'matty']],
  ['michael', ['mike', 'mikey', 'mick', 'mickey', 'micky']],
  ['mitchell', ['mitch']],
  ['nathan', ['nate']],
  ['nathaniel', ['nat']],
  ['nicholas', ['nick', 'nicky', 'nicolas']],
  ['oliver', ['ollie']],
  ['pamela', ['pam']],
  ['patricia', ['patty', 'patsy', 'trish', 'tricia', 'trisha']],
  ['patrick', ['paddy']],
  ['peter', ['pete']],
  ['philip', ['phil', 'phillip', 'pip']],
  ['raymond', ['ray']],
  ['rebecca', ['becky', 'becca']],
  ['reginald', ['reg', 'reggie']],
  ['richard', ['dick', 'rick', 'ricky', 'rich', 'richie']],
  ['robert', ['bob', 'bobby', 'rob', 'robbie', 'robby']],
  ['ronald', ['ron', 'ronnie']],
  ['rudolph', ['rudy', 'rudolf', 'rudi']],
  ['russell', ['russ']],
  ['samuel', ['sam', 'sammy']],
  ['sarah', ['sally', 'sadie', 'sara']],
  ['sidney', ['sid']],
  ['stanley', ['stan']],
  ['stephen', ['steve', 'stevie', 'steven']],
  ['stuart', ['stu', 'stewart']],
  ['susan', ['sue', 'susie', 'suzy']],
  ['theodore', ['theo', 'teddy']],
  ['theresa', ['tess', 'tessa', 'tessie', 'teresa', 'resi', 'theresia']],
  ['thomas', ['tom', 'tommy', 'thom']],
  ['timothy', ['tim', 'timmy']],
  ['tobias', ['toby', 'tobi']],
  ['valerie', ['val']],
  ['victoria', ['vicky', 'vickie', 'tori']],
  ['vincent', ['vince', 'vinnie']],
  ['walter', ['walt', 'wally']],
  ['william', ['bill', 'billy', 'will', 'willy', 'willie', 'liam']],
  ['winifred', ['winnie']],
  ['zachary', ['zach', 'zack', 'zak']],
  // German
  ['johannes', ['hans', 'hannes', 'hansi', 'johann']],
  ['johanna', ['hanne', 'hanni']],
  ['friedrich', ['fritz', 'friedel']],
  ['ulrich', ['uli', 'ulli', 'ueli']],
  ['wilhelm', ['willi', 'wim']],
  ['heinrich', ['heinz', 'heini', 'hein']],
  ['wolfgang', ['wolfi']],
  ['andreas', ['andi', 'andy']],
  ['sebastian', ['basti', 'wastl']],
  ['florian', ['flo']],
  ['maximilian', ['max', 'maxi']],
  ['anton', ['toni']],
  ['gabriele', ['gabi', 'gaby']],
  ['franziska', ['franzi']],
  ['bernhard', ['bernd']],
  ['gerhard', ['gerd', 'gerdi']],
  ['joachim', ['jochen', 'achim', 'jockel']],
  ['karl', ['kalle', 'carl', 'charly']],
  ['ludwig', ['lutz', 'wiggerl']],
  ['manfred', ['manni']],
  ['georg', ['schorsch']],
  ['siegfried', ['siggi', 'sigi']],
  ['stefanie', ['steffi', 'stephanie']],
  ['katharina', ['kathi', 'kati', 'kaethe']],
  ['veronika', ['vroni']],
  ['helene', ['leni', 'lene']],
  ['friederike', ['rike']],
  ['ursula', ['uschi', 'ursel']],
  ['monika', ['moni']],
  ['susanne', ['susi', 'susa', 'sanne']],
  ['cornelia', ['conny', 'nele']],
  ['birgit', ['biggi', 'birgitta']],
  ['barbara', ['baerbel', 'babsi']],
  ['christian', ['chrissi']],
  ['christina', ['tina']],
    ['konrad', ['conrad', 'konni']],
  ['matthias', ['mathias', 'matze', 'hias']],
  ['nikolaus', ['niko']],
  ['theodor', ['teddy']],
];

const NICKNAMES: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  // First entry wins: English groups come first, so a shared short form keeps its English reading.
  for (const [canonical, variants] of NICKNAME_GROUPS) {
    for (const v of variants) if (!m.has(v) && v !== canonical) m.set(v, canonical);
  }
  return m;
})();

/**
 * The canonical given name for a (folded, lowercase) given name: the nickname
 * table entry, or the name itself. Hyphenated names are resolved part by part.
 *
 * @example
 * ```ts
 * canonicalGivenName('bob')       // 'robert'
 * canonicalGivenName('Sepp')      // 'joseph'
 * canonicalGivenName('hans-uli')  // 'johannes-ulrich'
 * canonicalGivenName('anna')      // 'anna'
 * ```
 */
export function canonicalGivenName(given: string): string {
  const g = fold(given.trim());
  if (g.indexOf('-') < 0) return NICKNAMES.get(g) ?? g;
  return g
    .split('-')
    .map((p) => NICKNAMES.get(p) ?? p)
    .join('-');
}

/** Initials written together: "J.R.R.", "J.-P.", "H.P.". */
const JOINED_INITIALS_RE = /^(?:\p{L}\.-?)+\p{L}?\.?$/u;
const HYPHEN_INITIALS_RE = /^\p{L}(?:-\p{L})+$/u;
/** Characters kept inside a token: letters, marks, digits, hyphen. */
const TOKEN_JUNK_RE = /[^\p{L}\p{M}\p{N}-]+/gu;
const EDGE_HYPHENS_RE = /^-+|-+$/g;
const SEGMENT_SPLIT_RE = /[,;]/;
const WS_RE = /\s+/;
const APOS_RE = /['\u2018\u2019\u02bc`´]/g;
/** Quoted or parenthesized parts ("Robert \"Bob\" Smith", "Schmidt (geb. Meier)") are not parsed. */
const ASIDE_RE = /["\u201c\u201d\u201e\u00ab\u00bb][^"\u201c\u201d\u201e\u00ab\u00bb]*["\u201c\u201d\u201e\u00ab\u00bb]|\([^)]*\)/g;

interface Tok {
  /** Folded, lowercase token without dots. */
  t: string;
  /** Written in capitals in the input (two or more letters, no lowercase). */
  caps: boolean;
}

function isCapsWord(raw: string): boolean {
  let letters = 0;
  for (const ch of raw) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === upper) continue;
    if (ch !== upper) return false;
    letters++;
  }
  return letters >= 2;
}

/** Splits one comma segment into cleaned tokens; joined initials become single letters. */
function segmentTokens(segment: string): Tok[] {
  const out: Tok[] = [];
  for (const word of segment.split(WS_RE)) {
    if (word === '') continue;
    const folded = fold(word).replace(APOS_RE, '');
    if (JOINED_INITIALS_RE.test(folded) && folded.replace(/[.-]/g, '').length > 1) {
      for (const ch of folded) if (ch !== '.' && ch !== '-') out.push({ t: ch, caps: false });
      continue;
    }
    const t = folded.replace(TOKEN_JUNK_RE, '').replace(EDGE_HYPHENS_RE, '');
    if (t === '') continue;
    if (HYPHEN_INITIALS_RE.test(t)) {
      for (const part of t.split('-')) out.push({ t: part, caps: false });
      continue;
    }
    out.push({ t, caps: isCapsWord(word) });
  }
  return out;
}

/** Removes leading titles (e.g. "Prof. Dr. med."). */
function dropLeadingTitles(tokens: Tok[]): Tok[] {
  let i = 0;
  while (i < tokens.length && TITLES.has(tokens[i].t)) i++;
  return i === 0 ? tokens : tokens.slice(i);
}

/**
 * Parses and standardizes a person name.
 *
 * Returns `null` when the value is missing or contains no name at all (only
 * titles, punctuation or digits).
 *
 * @example
 * ```ts
 * personName('Müller, Dr. Hans-Jürgen')
 * // { given: 'hans-juergen', family: 'mueller', middle: null, initials: 'hj',
 * //   givenCanonical: 'johannes-juergen', suffix: null }
 * personName('Robert "Bob" J. Smith Jr.')
 * // { given: 'robert', family: 'smith', middle: 'j', initials: 'rj', givenCanonical: 'robert', suffix: 'jr' }
 * personName('Bill Gates')?.givenCanonical   // 'william'
 * personName('DUPONT Jean-Pierre')?.family   // 'dupont'
 * personName('Ludwig van Beethoven')?.family // 'van beethoven'
 * ```
 */
export function personName(value: Raw): PersonName | null {
  const text = toText(value);
  if (text === null) return null;

  // Segments separated by commas; suffix/credential-only segments are set aside.
  let suffix: string | null = null;
  const segments: Tok[][] = [];
  for (const part of text.replace(ASIDE_RE, ' ').split(SEGMENT_SPLIT_RE)) {
    let toks = segmentTokens(part);
    if (toks.length === 0) continue;
    if (segments.length > 0 && toks.every((x) => SUFFIXES.has(x.t) || CREDENTIALS.has(x.t))) {
      for (const x of toks) suffix ??= SUFFIXES.get(x.t) ?? null;
      continue;
    }
    toks = dropLeadingTitles(toks);
    if (toks.length > 0) segments.push(toks);
  }
  if (segments.length === 0) return null;

  // Trailing suffixes/credentials of each segment ("John Smith Jr. PhD", "Smith Jr., John").
  const minKeep = segments.length > 1 ? 1 : 2;
  for (const seg of segments) {
    while (seg.length > minKeep) {
      const t = seg[seg.length - 1].t;
      const s = SUFFIXES.get(t);
      if (s !== undefined) {
        suffix ??= s;
      } else if (!CREDENTIALS.has(t)) {
        break;
      }
      seg.pop();
    }
  }

  let familyToks: Tok[];
  let givenToks: Tok[];
  if (segments.length > 1) {
    familyToks = segments[0];
    givenToks = segments[1];
    // "Beethoven, Ludwig van": trailing particles belong to the family name.
    while (givenToks.length > 1 && PARTICLES.has(givenToks[givenToks.length - 1].t)) {
      familyToks = [givenToks[givenToks.length - 1], ...familyToks];
      givenToks = givenToks.slice(0, -1);
    }
  } else {
    const toks = segments[0];
    const capsCount = toks.reduce((n, x) => n + (x.caps ? 1 : 0), 0);
    if (toks.length === 1) {
      familyToks = toks;
      givenToks = [];
    } else if (capsCount > 0 && capsCount < toks.length && isContiguousCaps(toks)) {
      familyToks = toks.filter((x) => x.caps);
      givenToks = toks.filter((x) => !x.caps);
    } else {
      let f = toks.length - 1;
      while (f > 1 && PARTICLES.has(toks[f - 1].t)) f--;
      familyToks = toks.slice(f);
      givenToks = toks.slice(0, f);
    }
  }

  const keep = (xs: Tok[]): string[] => xs.map((x) => x.t).filter((t) => /\p{L}/u.test(t));
  const givenParts = keep(givenToks);
  const familyParts = keep(familyToks);
  if (givenParts.length === 0 && familyParts.length === 0) return null;

  const given = givenParts.length > 0 ? givenParts[0] : null;
  const middle = givenParts.length > 1 ? givenParts.slice(1).join(' ') : null;
  let initials = '';
  for (const g of givenParts) for (const p of g.split('-')) if (p !== '') initials += p[0];

  return {
    given,
    family: familyParts.length > 0 ? familyParts.join(' ') : null,
    middle,
    initials,
    givenCanonical: given === null ? null : canonicalGivenName(given),
    suffix,
  };
}

/** True if the capitalized tokens form one run at the start or at the end. */
function isContiguousCaps(toks: readonly Tok[]): boolean {
  const first = toks.findIndex((x) => x.caps);
  let lastIdx = first;
  while (lastIdx + 1 < toks.length && toks[lastIdx + 1].caps) lastIdx++;
  for (let i = lastIdx + 1; i < toks.length; i++) if (toks[i].caps) return false;
  return first === 0 || lastIdx === toks.length - 1;
}
