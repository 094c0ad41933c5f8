import { describe, it, expect } from 'vitest';
import { CONCEPTS, expandTerms, findConcepts, normalizeText } from '../src/modules/matching/concepts.js';
import { SECTORS } from '../src/modules/vocabularies/enums.js';

const ids = (text: string) => findConcepts(text).map((concept) => concept.id);

describe('concept vocabulary: integrity', () => {
  it('has at least 300 concepts with unique kebab-case ids', () => {
    expect(CONCEPTS.length).toBeGreaterThanOrEqual(300);
    const seen = new Set<string>();
    for (const concept of CONCEPTS) {
      expect(concept.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(seen.has(concept.id), `duplicate id ${concept.id}`).toBe(false);
      seen.add(concept.id);
    }
  });

  it('resolves every narrower and related id, never to itself', () => {
    const known = new Set(CONCEPTS.map((concept) => concept.id));
    for (const concept of CONCEPTS) {
      for (const id of [...concept.narrower, ...(concept.related ?? [])]) {
        expect(known.has(id), `${concept.id} → ${id}`).toBe(true);
        expect(id).not.toBe(concept.id);
      }
    }
  });

  it('has no cycle through narrower links', () => {
    const byId = new Map(CONCEPTS.map((concept) => [concept.id, concept]));
    const visit = (id: string, path: readonly string[]): void => {
      expect(path.includes(id), `cycle ${[...path, id].join(' > ')}`).toBe(false);
      for (const next of byId.get(id)?.narrower ?? []) visit(next, [...path, id]);
    };
    for (const concept of CONCEPTS) visit(concept.id, []);
  });

  it('covers every sector with at least 5 concepts and uses only known sector codes', () => {
    const codes = new Set<string>(SECTORS.map((sector) => sector.code));
    const counts = new Map<string, number>();
    for (const concept of CONCEPTS) {
      expect(concept.sectors.length).toBeGreaterThan(0);
      for (const sector of concept.sectors) {
        expect(codes.has(sector), `${concept.id}: ${sector}`).toBe(true);
        counts.set(sector, (counts.get(sector) ?? 0) + 1);
      }
    }
    for (const sector of SECTORS) expect(counts.get(sector.code) ?? 0, sector.code).toBeGreaterThanOrEqual(5);
  });

  it('writes terms in lower case, trimmed, and uses a term in at most two concepts', () => {
    const owners = new Map<string, Set<string>>();
    for (const concept of CONCEPTS) {
      expect(concept.terms.length, concept.id).toBeGreaterThan(0);
      for (const term of concept.terms) {
        expect(term, concept.id).toBe(term.toLowerCase().trim());
        expect(normalizeText(term), `${concept.id}: ${JSON.stringify(term)}`).not.toBe('');
        const key = normalizeText(term);
        owners.set(key, (owners.get(key) ?? new Set()).add(concept.id));
      }
    }
    const overused = [...owners].filter(([, set]) => set.size > 2).map(([term, set]) => `${term}: ${[...set].join(', ')}`);
    expect(overused).toEqual([]);
  });

  it('leaves out words that would match almost anything', () => {
    const generic = ['system', 'technology', 'low cost', 'low-cost', 'solution', 'water', 'energy', 'plastic', 'product', 'process', 'quality', 'innovation', 'data'];
    for (const concept of CONCEPTS) for (const word of generic) expect(concept.terms, concept.id).not.toContain(word);
    expect(findConcepts('We offer an innovative, low-cost technology system with high quality and efficiency for SMEs.')).toEqual([]);
  });

  it('finds each concept from each of its own terms', () => {
    for (const concept of CONCEPTS) {
      for (const term of concept.terms) expect(ids(term), `${concept.id}: ${term}`).toContain(concept.id);
    }
  });
});

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

  it('is fast enough to call per search query', () => {
    const query = 'solar-powered cold storage for fruit and vegetables in remote villages without electricity, with IoT sensors';
    const started = performance.now();
    for (let i = 0; i < 1000; i++) findConcepts(`${query} ${i}`);
    expect(performance.now() - started).toBeLessThan(1000);
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
