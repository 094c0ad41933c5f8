import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SECTORS, type Sector } from '../vocabularies/enums.js';
import { normalizeText } from './text.js';

// The centre's domain vocabulary (vocabulary.json, next to this file): concepts of the
// technology-transfer domain, each with the words that SMEs, providers and intermediaries use for
// it. It is data a domain expert edits (VOCABULARY.md says how); this module reads it once, checks
// it and hands it to the concept matcher. A vocabulary that breaks a rule stops the service at
// start with every problem listed, rather than matching with half a vocabulary.

export const VOCABULARY_FILE = new URL('./vocabulary.json', import.meta.url);

/** Words that would match almost any listing: never a term of a concept. */
export const GENERIC_TERMS: readonly string[] = [
  'system', 'technology', 'low cost', 'low-cost', 'solution', 'water', 'energy', 'plastic', 'product', 'process', 'quality',
  'innovation', 'data',
];

const SECTOR_CODES = SECTORS.map((sector) => sector.code) as [Sector, ...Sector[]];
const ZConceptId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case (lower-case words joined by hyphens)');
const ZTerm = z
  .string()
  .min(1)
  .refine((term) => term === term.toLowerCase().trim(), 'must be lower-case, without surrounding spaces')
  .refine((term) => normalizeText(term) !== '', 'must hold a letter or a digit');

export const ZConcept = z.object({
  id: ZConceptId,
  label: z.string().min(1),
  sectors: z.array(z.enum(SECTOR_CODES)).min(1),
  terms: z.array(ZTerm).min(1),
  narrower: z.array(ZConceptId),
  related: z.array(ZConceptId).optional(),
});
export type Concept = z.infer<typeof ZConcept>;

/**
 * The vocabulary file. `sharedTerms` marks each term deliberately used by more than one concept
 * (normalised term → the concepts that use it): any other term names one concept only, so a new
 * term that silently lands in a second concept is caught.
 */
export const ZVocabulary = z
  .object({
    sharedTerms: z.record(z.string(), z.array(ZConceptId).min(2)),
    concepts: z.array(ZConcept).min(1),
  })
  .superRefine((vocabulary, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const index = new Map<string, number>();
    vocabulary.concepts.forEach((concept, i) => {
      if (index.has(concept.id)) problem(['concepts', i, 'id'], `duplicate concept id ${concept.id}`);
      else index.set(concept.id, i);
    });
    const owners = new Map<string, string[]>();
    vocabulary.concepts.forEach((concept, i) => {
      for (const [field, ids] of [['narrower', concept.narrower], ['related', concept.related ?? []]] as const) {
        ids.forEach((id, j) => {
          if (id === concept.id) problem(['concepts', i, field, j], `${concept.id} names itself`);
          else if (!index.has(id)) problem(['concepts', i, field, j], `${concept.id}: unknown concept ${id}`);
        });
      }
      const seen = new Set<string>();
      concept.terms.forEach((term, j) => {
        if (seen.has(term)) problem(['concepts', i, 'terms', j], `${concept.id}: term "${term}" listed twice`);
        seen.add(term);
        if (GENERIC_TERMS.includes(term)) problem(['concepts', i, 'terms', j], `${concept.id}: "${term}" would match almost any listing`);
        const key = normalizeText(term);
        const list = owners.get(key) ?? [];
        if (!list.includes(concept.id)) list.push(concept.id);
        owners.set(key, list);
      });
    });
    for (const [term, ids] of owners) {
      if (ids.length < 2) continue;
      const marked = vocabulary.sharedTerms[term];
      if (!marked || [...marked].sort().join() !== [...ids].sort().join()) {
        problem(['sharedTerms', term], `"${term}" is a term of ${ids.join(', ')}: mark it in sharedTerms with exactly those concepts, or keep it in one`);
      }
    }
    for (const term of Object.keys(vocabulary.sharedTerms)) {
      if ((owners.get(term)?.length ?? 0) < 2) problem(['sharedTerms', term], `"${term}" is marked shared but is a term of fewer than two concepts`);
    }
    // A concept may not be a kind of itself through a chain of narrower links.
    const narrowerOf = new Map(vocabulary.concepts.map((concept) => [concept.id, concept.narrower]));
    const done = new Set<string>();
    const visit = (id: string, path: string[]) => {
      if (path.includes(id)) {
        problem(['concepts', index.get(id) ?? 0, 'narrower'], `cycle through narrower links: ${[...path, id].join(' > ')}`);
        return;
      }
      if (done.has(id)) return;
      for (const next of narrowerOf.get(id) ?? []) visit(next, [...path, id]);
      done.add(id);
    };
    for (const concept of vocabulary.concepts) visit(concept.id, []);
  });
export type Vocabulary = z.infer<typeof ZVocabulary>;

/** The problems of a vocabulary, one line each ('concepts.12.terms.3: …'); empty when it is sound. */
export function vocabularyProblems(data: unknown): string[] {
  const result = ZVocabulary.safeParse(data);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function loadVocabulary(): Vocabulary {
  const data: unknown = JSON.parse(readFileSync(VOCABULARY_FILE, 'utf8'));
  const result = ZVocabulary.safeParse(data);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`The vocabulary (${VOCABULARY_FILE.pathname}) breaks its rules:\n${lines.join('\n')}`);
  }
  return result.data;
}

export const VOCABULARY: Vocabulary = loadVocabulary();
export const CONCEPTS: readonly Concept[] = VOCABULARY.concepts;
