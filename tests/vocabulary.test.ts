import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findConcepts } from '../src/modules/language/concepts.js';
import { CONCEPTS, VOCABULARY_FILE, vocabularyProblems, type Vocabulary } from '../src/modules/language/vocabulary.js';
import { SECTORS } from '../src/modules/vocabularies/enums.js';

// The vocabulary is a data file a domain expert edits (src/modules/language/vocabulary.json): these
// tests hold it to its rules, and show that an edit breaking one is refused with the rule named.

const shipped = (): Vocabulary => JSON.parse(readFileSync(VOCABULARY_FILE, 'utf8')) as Vocabulary;
const ids = (text: string) => findConcepts(text).map((concept) => concept.id);

/** The shipped vocabulary with one edit applied to a copy. */
function edited(edit: (vocabulary: Vocabulary) => void): Vocabulary {
  const copy = shipped();
  edit(copy);
  return copy;
}

const concept = (vocabulary: Vocabulary, id: string) => vocabulary.concepts.find((entry) => entry.id === id)!;

describe('the vocabulary file', () => {
  it('keeps every rule as shipped', () => {
    expect(vocabularyProblems(shipped())).toEqual([]);
  });

  it('has at least 300 concepts and covers every sector with at least 5', () => {
    expect(CONCEPTS.length).toBeGreaterThanOrEqual(300);
    const counts = new Map<string, number>();
    for (const entry of CONCEPTS) for (const sector of entry.sectors) counts.set(sector, (counts.get(sector) ?? 0) + 1);
    for (const sector of SECTORS) expect(counts.get(sector.code) ?? 0, sector.code).toBeGreaterThanOrEqual(5);
  });

  it('refuses a duplicate id, a bad id and an unknown sector', () => {
    const duplicate = edited((v) => v.concepts.push({ ...v.concepts[0]!, terms: ['a term of its own'] }));
    expect(vocabularyProblems(duplicate).join('\n')).toContain(`duplicate concept id ${CONCEPTS[0]!.id}`);
    expect(vocabularyProblems(edited((v) => (v.concepts[1]!.id = 'Solar Energy'))).join('\n')).toContain('kebab-case');
    const sector = edited((v) => ((v.concepts[0]!.sectors as string[])[0] = 'astrology'));
    expect(vocabularyProblems(sector)[0]).toMatch(/^concepts\.0\.sectors\.0: /);
  });

  it('refuses a concept without terms, an empty or upper-case term, a term listed twice and a generic word', () => {
    expect(vocabularyProblems(edited((v) => (v.concepts[2]!.terms = []))).join('\n')).toMatch(/^concepts\.2\.terms: /m);
    expect(vocabularyProblems(edited((v) => v.concepts[2]!.terms.push(' - ')))).not.toEqual([]);
    expect(vocabularyProblems(edited((v) => v.concepts[2]!.terms.push('Solar Kiln'))).join('\n')).toContain('lower-case');
    expect(vocabularyProblems(edited((v) => v.concepts[2]!.terms.push(v.concepts[2]!.terms[0]!))).join('\n')).toContain('listed twice');
    expect(vocabularyProblems(edited((v) => v.concepts[2]!.terms.push('technology'))).join('\n')).toContain('would match almost any listing');
  });

  it('refuses links to unknown concepts, to the concept itself, and cycles of narrower links', () => {
    expect(vocabularyProblems(edited((v) => v.concepts[0]!.narrower.push('no-such-concept'))).join('\n')).toContain('unknown concept no-such-concept');
    expect(vocabularyProblems(edited((v) => v.concepts[0]!.narrower.push(v.concepts[0]!.id))).join('\n')).toContain('names itself');
    const cycle = edited((v) => {
      const parent = v.concepts.find((entry) => entry.narrower.length > 0)!;
      concept(v, parent.narrower[0]!).narrower.push(parent.id);
    });
    expect(vocabularyProblems(cycle).join('\n')).toContain('cycle through narrower links');
  });

  it('refuses a term in two concepts unless it is marked shared, and a stale mark', () => {
    const [first, second] = CONCEPTS;
    const unmarked = edited((v) => v.concepts[1]!.terms.push(first!.terms[0]!));
    expect(vocabularyProblems(unmarked).join('\n')).toContain(`is a term of ${first!.id}, ${second!.id}`);
    const marked = edited((v) => {
      v.concepts[1]!.terms.push(first!.terms[0]!);
      v.sharedTerms[first!.terms[0]!] = [first!.id, second!.id];
    });
    expect(vocabularyProblems(marked)).toEqual([]);
    const stale = edited((v) => (v.sharedTerms['a term nobody uses'] = [first!.id, second!.id]));
    expect(vocabularyProblems(stale).join('\n')).toContain('marked shared but is a term of fewer than two concepts');
  });
});

describe('the vocabulary as the matcher reads it', () => {
  it('finds each concept from each of its own terms', () => {
    for (const entry of CONCEPTS) {
      for (const term of entry.terms) expect(ids(term), `${entry.id}: ${term}`).toContain(entry.id);
    }
  });

  it('reads a word that lost its silent e as its own word, not as a shorter one', () => {
    // 'rating' is 'rate' (English would write 'ratting' for 'rat'), so an energy label is not pest control.
    expect(ids('Five-star energy rating for ceiling fans')).not.toContain('pest-control');
    expect(ids('Rats eat the grain in our stores')).toContain('pest-control');
  });

  it('finds no concept in boilerplate', () => {
    expect(findConcepts('We offer an innovative, low-cost technology system with high quality and efficiency for SMEs.')).toEqual([]);
  });
});
