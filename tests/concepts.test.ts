import { describe, it, expect } from 'vitest';
import { expandTerms, findConcepts } from '../src/modules/language/concepts.js';
import { normalizeText } from '../src/modules/language/text.js';

const ids = (text: string) => findConcepts(text).map((concept) => concept.id);

describe('findConcepts', () => {
  it('links a plain-language need to the provider’s technical wording', () => {
    const need = ids('keeping vegetables cool without grid power');
    expect(need).toContain('cold-storage');
    expect(need).toContain('off-grid-power');
    const offer = ids('solar-powered cold storage');
    expect(offer).toContain('cold-storage');
    expect(offer).toContain('solar-cold-room');
  });

  it('folds case and accents', () => {
    expect(ids('SOLAR DRYER')).toEqual(ids('solar dryer'));
    expect(ids('Bíogás digester')).toContain('biogas');
    expect(ids('Solar Façade')).toContain('building-integrated-pv');
    expect(ids('solar facade')).toContain('building-integrated-pv');
  });

  it('tolerates plurals, inflections and British/American spellings', () => {
    expect(ids('cheap batteries for homes')).toContain('battery-storage');
    expect(ids('organic fertilizers')).toContain('organic-fertiliser');
    expect(ids('recycling of used tires')).toContain('tyre-recycling');
    expect(ids('we are drying mangoes')).toContain('crop-drying');
    expect(ids('dried fish')).toContain('fish-drying');
  });

  it('matches on word boundaries and not across punctuation', () => {
    expect(ids('biogasification')).not.toContain('biogas');
    expect(ids('we can help')).not.toContain('food-preservation'); // 'canning'
    expect(ids('life cycle of the product')).not.toContain('active-mobility'); // 'cycling'
    expect(ids('solar dryer')).toContain('solar-dryer');
    expect(ids('solar; dryer')).not.toContain('solar-dryer');
  });
});

describe('expandTerms', () => {
  it('returns the matched term and the concept’s terms plus its narrower concepts’ terms, deduplicated', () => {
    const [hit] = expandTerms('we sell cold rooms').filter((entry) => entry.concept.id === 'cold-storage');
    expect(hit).toBeDefined();
    expect(hit?.matchedTerm).toBe('cold room');
    expect(hit?.expansions).toContain('cold storage');
    expect(hit?.expansions).toContain('solar cold room'); // narrower: solar-cold-room
    expect(hit?.expansions).toContain('evaporative cooler'); // narrower: evaporative-cooler
    expect(hit?.expansions).not.toContain('cold chain'); // related, not narrower
    expect(new Set(hit?.expansions.map(normalizeText)).size).toBe(hit?.expansions.length);
  });
});
