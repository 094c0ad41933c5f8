import { describe, expect, it } from 'vitest';
import { explainsAMatch, isGenericWord, tokens } from '../src/modules/language/text.js';
import { wordFamily } from '../src/modules/language/stemming.js';
import { COUNTRIES, countryName, countryNameInSentence } from '../src/modules/vocabularies/countries.js';

// The words the service reads past (a maintained English stop-word list plus the data file
// src/modules/language/generic-words.txt), and the names explanations give countries.

describe('the word lists', () => {
  it('drop the function words of the maintained English list and the boilerplate of listings', () => {
    expect(tokens('The trucks came late since the road was flooded; we seek a partner with a new system')).toEqual(['trucks', 'late', 'road', 'flooded']);
  });

  it('keep generic words in the text but never count them as a reason two listings match', () => {
    expect(tokens('farmers keep mangoes')).toEqual(['farmers', 'keep', 'mangoes']);
    expect(isGenericWord('farmers')).toBe(true);
    for (const word of ['farmers', 'village', 'keep', 'called', 'different', 'keeping', 'post', 'the', 'came']) expect(explainsAMatch(word), word).toBe(false);
    for (const word of ['mangoes', 'aflatoxin', 'cyclone', 'grid']) expect(explainsAMatch(word), word).toBe(true);
  });

  it('group the forms of a word for a reader', () => {
    expect(new Set(['drying', 'dried', 'dries'].map(wordFamily)).size).toBe(1);
    expect(wordFamily('fertilisers')).toBe(wordFamily('fertilizer'));
    expect(wordFamily('dryer')).not.toBe(wordFamily('drying'));
  });
});

describe('country names in sentences', () => {
  it('read in the order a sentence says them, with "the" where English says it', () => {
    expect(countryNameInSentence('KR')).toBe('the Republic of Korea');
    expect(countryNameInSentence('tz')).toBe('the United Republic of Tanzania');
    expect(countryNameInSentence('PH')).toBe('the Philippines');
    expect(countryNameInSentence('GB')).toBe('the United Kingdom');
    expect(countryNameInSentence('VN')).toBe('Viet Nam');
    expect(countryNameInSentence('XX')).toBeUndefined();
  });

  it('never put the main word first behind a comma', () => {
    // Names that list places ('Bonaire, Sint Eustatius and Saba') keep their commas.
    const inverted = COUNTRIES.filter((country) => /, [^,]+$/.test(country.name) && !/ and /.test(country.name));
    expect(inverted.length).toBeGreaterThan(10);
    for (const { code } of inverted) expect(countryNameInSentence(code), countryName(code)).not.toContain(',');
  });
});
