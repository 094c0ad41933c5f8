import { stem } from './stemming.js';

// Text as every part of the service reads it: one normalisation, one tokenisation, one list of
// words that say nothing about a technology. Search, matching, alerts and the Tech Monitor all
// read words through here, so "Café", "cafe" and "CAFE" are one word everywhere.

const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
};

/**
 * Lower-case, fold accents and compatibility characters (é → e, ₂ → 2), drop apostrophes and turn
 * every run of other non-alphanumeric characters (hyphens, slashes, dots…) into a single space.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[øæœßđðþłı]/g, (ch) => SPECIAL_LETTERS[ch] ?? ch)
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

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

/** Word tokens of a text, normalised, in order (stopwords, one-letter tokens and bare numbers kept out). */
export function tokens(text: string): string[] {
  const normalized = normalizeText(text);
  if (normalized === '') return [];
  return normalized.split(' ').filter((word) => word.length >= 2 && !STOPWORDS.has(word) && !/^\d+$/.test(word));
}

/** Stemmed tokens, the unit of local term matching. */
export function stems(text: string): string[] {
  return tokens(text).map(stem);
}

/** Whether a word (normalised) says nothing about a technology. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

// Words listings of every kind use, which say nothing about which technology or need a listing is
// about ("farmers", "village", "price", "improve"): never a reason two listings match.
const GENERIC_WORDS = new Set(
  `farmer farmers village villages people community communities product products process processes quality price prices
  market markets customer customers buyer buyers time times work works worker workers problem problems area areas country
  countries region regions government rural urban cheap expensive every big family families home homes town towns city cities
  service services equipment machine machines device devices unit units method methods material materials data information
  training support project projects programme program management level levels rate percent hour hours month months week weeks
  today still even often first last next available effective efficient efficiency easy simple reliable affordable improve
  improved improves improving reduce reduced reduces reducing increase increased increases increasing user users group groups
  member members owner owners application applications production produce produced capacity performance standard standards
  operation operations operator operators cooperative cooperatives sme smes enterprise enterprises business businesses`
    .split(/\s+/)
    .filter(Boolean),
);

/** Whether a word (normalised) is one listings of every kind use: not a reason two listings match. */
export function isGenericWord(word: string): boolean {
  return GENERIC_WORDS.has(word);
}
