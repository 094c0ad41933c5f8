// Local text analysis for matching: the same on every engine, so scores and explanations do not
// depend on which search engine found the candidates.

// Words that say nothing about a technology: English function words plus the boilerplate of
// listings ("we seek a partner for a system that ...").
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers him his how i if in
  into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should
  so some such than that the their theirs them then there these they this those through to too under until up upon very via
  was we were what when where which while who whom why will with within without would you your yours per etc eg ie
  able across already among another around based day days get help high low make makes many may much must need needs
  new one ones part partner partners provide provides seek seeking seeks sought system systems technology technologies
  two use used uses using want wants way ways well year years looking look company companies solution solutions offer offers
  request requests cost costs small large local lower higher less like including include includes good best better`
    .split(/\s+/)
    .filter(Boolean),
);

/** Lower case, accents removed, so "Café" and "cafe" are one word. */
export function normalizeText(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * A light English stemmer: folds plurals and the commonest verb endings so "dryers" meets "dryer"
 * and "drying" meets "dry". Deliberately conservative: a wrong merge costs more than a missed one.
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(?:ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed')) w = undouble(w.slice(0, -2));
  return w;
}

function undouble(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/** Word tokens of a text, normalised, in order (stopwords and one-letter tokens kept out). */
export function tokens(text: string): string[] {
  const words = normalizeText(text).match(/[a-z0-9]+(?:[-'][a-z0-9]+)*/g) ?? [];
  const result: string[] = [];
  for (const raw of words) {
    for (const part of raw.split(/[-']/)) {
      if (part.length < 2 || STOPWORDS.has(part) || /^\d+$/.test(part)) continue;
      result.push(part);
    }
  }
  return result;
}

/** Stemmed tokens, the unit of local term matching. */
export function stems(text: string): string[] {
  return tokens(text).map(stem);
}

export interface WeightedTerm {
  /** The stem, what is compared. */
  stem: string;
  /** A readable form of the word as the listing wrote it. */
  word: string;
  weight: number;
}

export interface TermSource {
  title: string;
  keywords: readonly string[];
  summary: string;
  description: string;
  details: string;
}

// Where a word appears says how central it is: the title and keywords name the technology, the
// summary describes it, the long fields add context and noise.
const FIELD_WEIGHTS = { title: 3, keywords: 3, summary: 1.5, details: 1, description: 0.5 } as const;

/**
 * The words that characterise a listing, best first: every field's stems weighted by the field
 * they come from, with repeats adding up (a word the listing keeps using matters).
 */
export function salientTerms(listing: TermSource, limit = 30): WeightedTerm[] {
  const byStem = new Map<string, WeightedTerm>();
  const add = (text: string, weight: number) => {
    for (const word of tokens(text)) {
      const s = stem(word);
      if (s.length < 3) continue;
      const entry = byStem.get(s);
      if (entry) entry.weight += weight;
      else byStem.set(s, { stem: s, word, weight });
    }
  };
  add(listing.title, FIELD_WEIGHTS.title);
  add(listing.keywords.join(' '), FIELD_WEIGHTS.keywords);
  add(listing.summary, FIELD_WEIGHTS.summary);
  add(listing.details, FIELD_WEIGHTS.details);
  add(listing.description, FIELD_WEIGHTS.description);
  return [...byStem.values()]
    .sort((a, b) => b.weight - a.weight || (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0))
    .slice(0, limit);
}

/** Whether two words are one edit apart (a typo), for words long enough that this is not chance. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < 5 || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    // substitution, or two neighbouring letters swapped ("soalr")
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [shorter, longer] = a.length < b.length ? [a, b] : [b, a];
  return shorter.slice(i) === longer.slice(i + 1);
}
