import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eng as englishStopwords } from 'stopword';
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

/**
 * The word lists of generic-words.txt (next to this file): `[stopwords]`, `[generic]` and `[vague]` sections,
 * words separated by white space, `#` comments.
 */
function readWordLists(): Record<'stopwords' | 'generic' | 'vague', string[]> {
  const lists = { stopwords: [] as string[], generic: [] as string[], vague: [] as string[] };
  let section: keyof typeof lists | null = null;
  for (const line of readFileSync(new URL('./generic-words.txt', import.meta.url), 'utf8').split('\n')) {
    const text = line.replace(/#.*/, '').trim();
    const heading = /^\[(\w+)\]$/.exec(text);
    if (heading) {
      if (heading[1] !== 'stopwords' && heading[1] !== 'generic' && heading[1] !== 'vague') throw new Error(`generic-words.txt: unknown section [${heading[1]}]`);
      section = heading[1];
    } else if (text && section) lists[section].push(...text.split(/\s+/).map(normalizeText));
    else if (text) throw new Error('generic-words.txt: words before the first [section]');
  }
  return lists;
}

const WORD_LISTS = readWordLists();

// Words that say nothing about a technology: English function words (the maintained list of the
// `stopword` package) plus those it lacks and the boilerplate of listings (generic-words.txt).
const STOPWORDS: ReadonlySet<string> = new Set([...englishStopwords, ...WORD_LISTS.stopwords]);

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
// about ("farmers", "village", "price", "improve", "keep"): never a reason two listings match.
const GENERIC_WORDS: ReadonlySet<string> = new Set(WORD_LISTS.generic);

/** Names the word lists in use: analyses stored with other lists are redone. */
export const WORD_LISTS_FINGERPRINT = createHash('sha256')
  .update(JSON.stringify([[...STOPWORDS].sort(), [...GENERIC_WORDS].sort()]))
  .digest('hex')
  .slice(0, 12);

/** Whether a word (normalised) is one listings of every kind use: not a reason two listings match. */
export function isGenericWord(word: string): boolean {
  return GENERIC_WORDS.has(word);
}

const VAGUE_WORDS: ReadonlySet<string> = new Set(WORD_LISTS.vague);

/**
 * Whether a word (normalised) tells a reader why two listings match: not a stop word, not a word
 * listings of every kind use, not one too vague to name ("keep", "different").
 */
export function explainsAMatch(word: string): boolean {
  return !STOPWORDS.has(word) && !GENERIC_WORDS.has(word) && !VAGUE_WORDS.has(word);
}
