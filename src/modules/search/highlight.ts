import snowball from 'snowball-stemmers';
import { escapeHtml } from '../../lib/html.js';
import type { SearchHit } from './search.port.js';

// Highlights for the built-in engine, made in JavaScript from the lexemes of the query's tsquery.
// ts_headline does the same in PostgreSQL but parses every highlighted text again for each hit,
// which made up most of a narrow query's time (figures: BENCHMARKS.md, "Measurements behind the
// code"). The Snowball English stemmer here is the
// algorithm behind PostgreSQL's 'english' configuration (they agree on every word of the demo
// vocabulary but the stopwords, which a tsquery never holds).

export const HIGHLIGHT_FIELDS = ['title', 'keywords', 'summary', 'description', 'details'] as const;
export type HighlightField = (typeof HIGHLIGHT_FIELDS)[number];
export type HighlightTexts = Record<HighlightField, string | null>;

/**
 * How each field is shown: title and keywords whole; the summary as one passage; the long texts
 * as up to two passages, and only for hits that matched nowhere in title, keywords or summary.
 */
const FIELD_SHAPES: Record<HighlightField, { whole: true } | { whole: false; words: number; passages: number }> = {
  title: { whole: true },
  keywords: { whole: true },
  summary: { whole: false, words: 40, passages: 1 },
  description: { whole: false, words: 25, passages: 2 },
  details: { whole: false, words: 25, passages: 2 },
};
const HEAD_FIELDS: readonly HighlightField[] = ['title', 'keywords', 'summary'];
const PASSAGE_SEPARATOR = ' … ';
/** Words shown before the first match of a passage, so it does not start on the match. */
const LEAD_WORDS = 3;
const CONCEPT_PREFIX = 'concept:';

const english = snowball.newStemmer('english');
const STEM_CACHE_LIMIT = 50_000;
const stems = new Map<string, string>();

function stemOf(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = english.stem(word);
    if (stems.size >= STEM_CACHE_LIMIT) stems.clear();
    stems.set(word, stem);
  }
  return stem;
}

/** The lexemes a tsquery's text names (`'solar' & ( 'dryer' | 'drier' )`), but concept tags. */
export function lexemesOf(tsquery: string): Set<string> {
  const lexemes = new Set<string>();
  for (const [, quoted] of tsquery.matchAll(/'((?:[^']|'')*)'/g)) {
    const lexeme = quoted!.replaceAll("''", "'");
    if (!lexeme.startsWith(CONCEPT_PREFIX)) lexemes.add(lexeme);
  }
  return lexemes;
}

// Words as PostgreSQL's parser reads them: letters and digits, hyphenated compounds kept together
// (PostgreSQL indexes a compound and each of its parts).
const WORD = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu;

interface Token {
  start: number;
  end: number;
  matched: boolean;
}

/** Whether a word of the text is one of the lexemes (accents and case folded, as the index does). */
function matches(word: string, lexemes: ReadonlySet<string>, seen: Map<string, boolean>): boolean {
  let matched = seen.get(word);
  if (matched === undefined) {
    // Most words are plain ASCII: unicode normalisation is only for the others.
    const lower = word.toLowerCase();
    const folded = /^[\x00-\x7f]*$/.test(lower) ? lower : lower.normalize('NFKD').replace(/\p{M}+/gu, '');
    matched = lexemes.has(stemOf(folded)) || (folded.includes('-') && folded.split('-').some((part) => lexemes.has(stemOf(part))));
    seen.set(word, matched);
  }
  return matched;
}

function tokensOf(text: string, lexemes: ReadonlySet<string>, seen: Map<string, boolean>): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    tokens.push({ start: match.index, end: match.index + match[0].length, matched: matches(match[0], lexemes, seen) });
  }
  return tokens;
}

/** tokens[from..to) of the text (all of it when whole), HTML-escaped, matched words in <mark>. */
function render(text: string, tokens: Token[], from: number, to: number, whole: boolean): string {
  const end = whole ? text.length : tokens[to - 1]!.end;
  let at = whole ? 0 : tokens[from]!.start;
  let out = '';
  for (let i = from; i < to; i++) {
    const token = tokens[i]!;
    if (!token.matched) continue;
    out += `${escapeHtml(text.slice(at, token.start))}<mark>${escapeHtml(text.slice(token.start, token.end))}</mark>`;
    at = token.end;
  }
  return out + escapeHtml(text.slice(at, end));
}

/** Up to `count` passages of at most `words` words, each around as many matches as it can hold. */
function passages(text: string, tokens: Token[], words: number, count: number): string {
  const chosen: [number, number][] = [];
  for (let n = 0; n < count; n++) {
    let best: [number, number] | null = null;
    let bestMatches = 0;
    for (let i = 0; i < tokens.length; i++) {
      if (!tokens[i]!.matched || chosen.some(([from, to]) => i >= from && i < to)) continue;
      let from = Math.max(0, i - LEAD_WORDS);
      const taken = chosen.find(([start, end]) => from < end && i >= start);
      if (taken) from = taken[1];
      let to = Math.min(tokens.length, from + words);
      const next = chosen.find(([start]) => start > from && start < to);
      if (next) to = next[0];
      let matches = 0;
      for (let k = from; k < to; k++) if (tokens[k]!.matched) matches++;
      if (matches > bestMatches) {
        best = [from, to];
        bestMatches = matches;
      }
    }
    if (!best) break;
    chosen.push(best);
  }
  return chosen
    .sort((a, b) => a[0] - b[0])
    .map(([from, to]) => render(text, tokens, from, to, from === 0 && to === tokens.length))
    .join(PASSAGE_SEPARATOR);
}

/** The fields of one hit where a query lexeme occurs, HTML-escaped, with <mark> around the matches. */
export function highlight(texts: HighlightTexts, lexemes: ReadonlySet<string>): SearchHit['highlights'] {
  const highlights: SearchHit['highlights'] = {};
  if (lexemes.size === 0) return highlights;
  let inHead = false;
  const seen = new Map<string, boolean>();
  for (const field of HIGHLIGHT_FIELDS) {
    const text = texts[field];
    if (!text) continue;
    if (!HEAD_FIELDS.includes(field) && inHead) continue;
    const tokens = tokensOf(text, lexemes, seen);
    if (!tokens.some((token) => token.matched)) continue;
    if (HEAD_FIELDS.includes(field)) inHead = true;
    const shape = FIELD_SHAPES[field];
    highlights[field] = shape.whole ? render(text, tokens, 0, tokens.length, true) : passages(text, tokens, shape.words, shape.passages);
  }
  return highlights;
}
