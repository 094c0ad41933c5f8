import snowball from 'snowball-stemmers';

// Stemming: how the service folds the forms of one English word together. Two foldings, for two
// uses: `stem` gives one stem per word (local term overlap, alerts); `wordForms` gives the forms a
// word may stand for, so a concept term matches 'batteries', 'dried' or 'fertilisers' without the
// term being written in every form.

/**
 * A light English stemmer: folds plurals and the commonest verb endings so "dryers" meets "dryer"
 * and "drying" meets "dry". Deliberately conservative: a wrong merge costs more than a missed one.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(?:ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = baseOf(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed')) w = baseOf(w.slice(0, -2));
  return w;
}

/** The base word of what is left once '-ing' or '-ed' is cut: 'shipp' → 'ship', 'rat' → 'rate'. */
function baseOf(w: string): string {
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w)) return w.slice(0, -1);
  return lostSilentE(w) ? `${w}e` : w;
}

/**
 * A stem of one short vowel and one final consonant that was not doubled lost a silent 'e':
 * English doubles that consonant before '-ing' and '-ed' (rat → ratting, cod → codding), so
 * 'rating' is 'rate' and 'coding' is 'code', never 'rat' or 'cod'. Final w, x and y never double
 * ('fixing' is 'fix'); longer stems may not ('opening' is 'open'), so they are left alone.
 */
function lostSilentE(stem: string): boolean {
  return /^[^aeiouy]*[aeiou][b-df-hj-np-tvz]$/.test(stem);
}

const english = snowball.newStemmer('english');
const FAMILY_CACHE = new Map<string, string>();
const FAMILY_CACHE_LIMIT = 20_000;

/**
 * The word family of a normalised word: its Snowball (Porter 2) stem, after folding British
 * spellings, so 'drying', 'dried' and 'dries' are one family: enough to tell a reader one word
 * instead of three forms of it. Not what listings are compared with: it merges words of different
 * meanings ('organic', 'organisation'), and ranking with it gained nothing on the labelled set
 * (BENCHMARKS.md, issue 19).
 */
export function wordFamily(word: string): string {
  let family = FAMILY_CACHE.get(word);
  if (family === undefined) {
    family = english.stem(foldSpelling(word));
    if (FAMILY_CACHE.size >= FAMILY_CACHE_LIMIT) FAMILY_CACHE.clear();
    FAMILY_CACHE.set(word, family);
  }
  return family;
}

// British/American spelling: whole words first, then prefixes, then suffix patterns.
const WORD_SPELLINGS: Readonly<Record<string, string>> = {
  tyre: 'tire',
  tyres: 'tires',
  aluminium: 'aluminum',
  grey: 'gray',
  programme: 'program',
  programmes: 'programs',
  ageing: 'aging',
  kerb: 'curb',
  plough: 'plow',
  ploughs: 'plows',
  ploughing: 'plowing',
  mollusc: 'mollusk',
  molluscs: 'mollusks',
  jewellery: 'jewelry',
  licence: 'license',
  licences: 'licenses',
  defence: 'defense',
  offence: 'offense',
  enquiry: 'inquiry',
  diarrhoea: 'diarrhea',
  diarrhoeal: 'diarrheal',
  manoeuvre: 'maneuver',
  fibreglass: 'fiberglass',
  fibreboard: 'fiberboard',
  oestrus: 'estrus',
};
const PREFIX_SPELLINGS: readonly (readonly [RegExp, string])[] = [
  [/^sulph/, 'sulf'],
  [/^mould/, 'mold'],
  [/^faec/, 'fec'],
  [/^haem/, 'hem'],
  [/^anaem/, 'anem'],
  [/^anaest/, 'anest'],
  [/^orthopaed/, 'orthoped'],
  [/^paed/, 'ped'],
  [/^foet/, 'fet'],
  [/^oedem/, 'edem'],
  [/^leukaem/, 'leukem'],
  [/^aetiol/, 'etiol'],
];
const SUFFIX_SPELLINGS: readonly (readonly [RegExp, string])[] = [
  // colour, odour, harbour, labour, behaviour, flavour …
  [/^([a-z]{2,})our(s|ed|ing|less|ful|ant|ants|ation|ations|ite|ites|able|er|ers)?$/, '$1or$2'],
  // fibre, centre, metre, litre …
  [/^([a-z]{2,}[bt])re(s|d)?$/, '$1er$2'],
  // fertiliser, organisation, pasteurise …
  [/^([a-z]{2,})is(e|es|ed|er|ers|ing|ation|ations|ational|able)$/, '$1iz$2'],
  // analyse, electrolyser, pyrolyser …
  [/^([a-z]{2,})ys(e|es|ed|er|ers|ing)$/, '$1yz$2'],
  // catalogue, analogue, dialogue
  [/^(catal|anal|dial|prol|epil|monol)ogue(s)?$/, '$1og$2'],
];

function foldSpelling(word: string): string {
  const whole = WORD_SPELLINGS[word];
  if (whole !== undefined) return whole;
  let out = word;
  for (const [pattern, replacement] of PREFIX_SPELLINGS) out = out.replace(pattern, replacement);
  for (const [pattern, replacement] of SUFFIX_SPELLINGS) {
    if (pattern.test(out)) return out.replace(pattern, replacement);
  }
  return out;
}

const isDoubledConsonant = (stem: string): boolean =>
  stem.length >= 3 && stem.at(-1) === stem.at(-2) && /[bcdfgklmnprtvz]/.test(stem.at(-1) ?? '');

/**
 * The forms of one normalised token. A term's token stands for itself and its simple singular or
 * plural ('s', 'es', 'ies' → 'y'); a token of the searched text also for its stem without '-ing' /
 * '-ed'. Both sides fold British spellings to American. A text token matches a term token when their
 * forms intersect: 'batteries' ~ 'battery', 'keeping' ~ 'keep', 'dried' ~ 'dry', 'fertilisers' ~
 * 'fertilizer', 'tyres' ~ 'tire'. The asymmetry keeps a term such as 'canning' or 'cycling' from
 * matching the bare words 'can' or 'cycle'.
 */
export function wordForms(word: string, inflections: boolean): string[] {
  const forms = [word];
  const n = word.length;
  if (n >= 4 && /[a-z]/.test(word)) {
    if (word.endsWith('ies') && n - 3 >= 2) forms.push(`${word.slice(0, -3)}y`);
    if (word.endsWith('es') && n - 2 >= 3) forms.push(word.slice(0, -2));
    if (word.endsWith('s') && !/(ss|us|is)$/.test(word) && n - 1 >= 3) forms.push(word.slice(0, -1));
    if (inflections && word.endsWith('ing') && n - 3 >= 3) {
      const stem = word.slice(0, -3);
      if (!lostSilentE(stem)) forms.push(stem);
      forms.push(`${stem}e`);
      if (isDoubledConsonant(stem)) forms.push(stem.slice(0, -1));
    }
    if (inflections && word.endsWith('ied') && n - 3 >= 2) {
      forms.push(`${word.slice(0, -3)}y`);
    } else if (inflections && word.endsWith('ed') && !word.endsWith('eed') && n - 2 >= 3) {
      const stem = word.slice(0, -2);
      if (!lostSilentE(stem)) forms.push(stem);
      forms.push(word.slice(0, -1));
      if (isDoubledConsonant(stem)) forms.push(stem.slice(0, -1));
    }
  }
  return [...new Set(forms.map(foldSpelling))];
}

