// The search box syntax, as web search engines understand it: words (all required), "quoted
// phrases", -excluded words or phrases, and `or` between two terms. User text is reduced to words
// of letters and digits here, so nothing the user types reaches an engine as syntax.

export type QueryTerm = { kind: 'word'; word: string } | { kind: 'phrase'; words: string[] };

export interface ParsedQuery {
  /** Each clause holds alternatives (any may match); clauses are all required in 'all' mode. */
  clauses: QueryTerm[][];
  /** Terms no hit may contain. */
  excluded: QueryTerm[];
}

/** Bounds the work one query can cause, however long the text. */
export const MAX_QUERY_TERMS = 32;
const MAX_WORD_LENGTH = 40;
const WORD = /[\p{L}\p{M}\p{N}]+/gu;

function wordsOf(chunk: string): string[] {
  return (chunk.toLowerCase().match(WORD) ?? []).map((word) => word.slice(0, MAX_WORD_LENGTH));
}

function termOf(words: string[], quoted: boolean): QueryTerm | null {
  if (words.length === 0) return null;
  // A hyphenated chunk ("post-harvest") is a phrase of its parts, as it reads.
  if (words.length === 1 && !quoted) return { kind: 'word', word: words[0]! };
  return { kind: 'phrase', words };
}

export function parseQueryText(text: string): ParsedQuery {
  const clauses: QueryTerm[][] = [];
  const excluded: QueryTerm[] = [];
  let terms = 0;
  let joinWithPrevious = false;
  let position = 0;
  while (position < text.length && terms < MAX_QUERY_TERMS) {
    const rest = text.slice(position);
    const space = /^\s+/.exec(rest);
    if (space) {
      position += space[0].length;
      continue;
    }
    const negated = rest.startsWith('-') && rest.length > 1 && !/\s/.test(rest[1]!);
    const start = negated ? 1 : 0;
    let term: QueryTerm | null;
    let raw: string;
    if (rest[start] === '"') {
      const end = rest.indexOf('"', start + 1);
      raw = end === -1 ? rest : rest.slice(0, end + 1);
      term = termOf(wordsOf(raw.slice(start + 1, end === -1 ? undefined : -1)), true);
    } else {
      raw = /^\S+/.exec(rest)![0];
      const body = raw.slice(start);
      if (!negated && body.toLowerCase() === 'or' && clauses.length > 0) {
        joinWithPrevious = true;
        position += raw.length;
        continue;
      }
      term = termOf(wordsOf(body), false);
    }
    position += raw.length;
    if (!term) continue;
    terms++;
    if (negated) excluded.push(term);
    else if (joinWithPrevious) clauses[clauses.length - 1]!.push(term);
    else clauses.push([term]);
    joinWithPrevious = false;
  }
  return { clauses, excluded };
}

/** Every word of the query, in order, each once. */
export function wordsOfQuery(parsed: ParsedQuery): string[] {
  const words = new Set<string>();
  for (const term of [...parsed.clauses.flat(), ...parsed.excluded]) {
    for (const word of term.kind === 'word' ? [term.word] : term.words) words.add(word);
  }
  return [...words];
}

/**
 * Typos a word of this length may hold, as Meilisearch counts them by default: none below 5
 * letters, one from 5, two from 9.
 */
export function typoBudget(word: string): number {
  const length = [...word].length;
  return length >= 9 ? 2 : length >= 5 ? 1 : 0;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[t.length]!;
}
