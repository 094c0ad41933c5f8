import { regionOf, REGIONS } from '../vocabularies/countries.js';
import { PARTNERSHIP_TYPES, SECTORS, STAGES } from '../vocabularies/enums.js';
import type { MatchProfile } from './listing-analysis.js';
import { TARGET_FIT, type StructuralFit, type TrlBasis } from './structural-fit.js';
import type { MatchedConcept, TextRelevance } from './text-relevance.js';

// A match in words: what fits, what may not, and one sentence to read first. The API returns it
// and the web pages show it as it is, so both say the same thing.

const sectorLabel = labelOf(SECTORS);
const partnershipLabel = labelOf(PARTNERSHIP_TYPES);
const stageLabel = labelOf(STAGES);
const regionLabel = labelOf(REGIONS);

function labelOf(list: readonly { code: string; label: string }[]) {
  const labels = new Map(list.map((entry) => [entry.code, entry.label]));
  return (code: string) => labels.get(code) ?? code;
}

/** Concept matches an explanation names at most. */
const CONCEPTS_SHOWN = 5;

export interface ExplanationText {
  summary: string;
  fits: string[];
  gaps: string[];
}

export function explainMatch(
  source: MatchProfile,
  candidate: MatchProfile,
  relevance: TextRelevance,
  fit: StructuralFit,
  score: number,
): ExplanationText {
  const offer = source.kind === 'offer' ? source : candidate;
  const request = source.kind === 'offer' ? candidate : source;
  const fits: string[] = [];
  const gaps: string[] = [];

  for (const concept of relevance.matchedConcepts.slice(0, CONCEPTS_SHOWN)) fits.push(describeConceptMatch(concept));
  if (relevance.matchedTerms.length) fits.push(`Shared terms: ${relevance.matchedTerms.join(', ')}`);
  if (!relevance.matchedConcepts.length && !relevance.matchedTerms.length) gaps.push('Few words or concepts in common');

  const sharedSectors = fit.sectors.shared;
  if (sharedSectors.length) fits.push(`Shared sector${sharedSectors.length > 1 ? 's' : ''}: ${sharedSectors.map(sectorLabel).join(', ')}`);
  else gaps.push(`No shared sector (request: ${request.sectors.map(sectorLabel).join(', ')}; offer: ${offer.sectors.map(sectorLabel).join(', ')})`);

  const { partnership, trl } = fit;
  if (partnership.fit === 'good') fits.push(`Partnership fits: both look for ${partnership.shared.map(partnershipLabel).join(', ').toLowerCase()}`);
  else if (partnership.fit === 'partial') {
    fits.push(`Partnership types are related: the offer proposes ${list(offer.partnershipTypes.map(partnershipLabel))}, the request seeks ${list(request.partnershipTypes.map(partnershipLabel))}`);
  } else {
    gaps.push(`Partnership types differ: the offer proposes ${list(offer.partnershipTypes.map(partnershipLabel))}, the request seeks ${list(request.partnershipTypes.map(partnershipLabel))}`);
  }

  const range = trl.neededMax === 9 ? `TRL ${trl.neededMin} or more` : `TRL ${trl.neededMin}–${trl.neededMax}`;
  const reason = trlReason(trl.basis, request);
  if (trl.fit === 'good') fits.push(`Maturity fits: the offer is at TRL ${offer.trl} (${stageLabel(offer.stage).toLowerCase()}); the request needs ${range}`);
  else if (offer.trl < trl.neededMin) gaps.push(`The offer is at TRL ${offer.trl}, earlier than the ${range} the request needs (${reason})`);
  else gaps.push(`The offer is at TRL ${offer.trl}, more mature than the ${range} the request looks for (${reason})`);

  const countryFits: string[] = [];
  for (const side of fit.country.sides) {
    if (side.targets.length === 0) continue;
    if (side.fit === TARGET_FIT.country) countryFits.push(`The ${side.who} targets ${side.partnerCountry}, where the ${side.partner} is`);
    else if (side.fit === TARGET_FIT.region) {
      countryFits.push(`The ${side.who} targets ${regionLabel(regionOf(side.partnerCountry) ?? '')}, the region of the ${side.partner} (${side.partnerCountry})`);
    } else {
      gaps.push(`The ${side.who} targets ${side.targets.slice(0, 5).join(', ')}${side.targets.length > 5 ? ', …' : ''}, not ${side.partnerCountry} where the ${side.partner} is`);
    }
  }
  if (countryFits.length === 0 && fit.country.sides.every((side) => side.targets.length === 0)) countryFits.push('Neither side limits the countries it works with');
  fits.push(...countryFits);

  const counterpart = candidate.kind === 'offer' ? 'offer' : 'request';
  const firstGap = gaps[0] ? lowerFirst(gaps[0]) : null;
  const summary =
    score >= 60
      ? `A strong ${counterpart} match: ${fits.slice(0, 2).map(lowerFirst).join('; ')}.`
      : score >= 35
        ? `A possible ${counterpart} match: ${lowerFirst(fits[0] ?? 'some words in common')}${firstGap ? `, but ${firstGap}` : ''}.`
        : `A weak ${counterpart} match${firstGap ? `: ${firstGap}` : ''}.`;
  return { summary, fits, gaps };
}

function trlReason(basis: TrlBasis, request: MatchProfile) {
  switch (basis) {
    case 'stage':
      return `it asks for a technology ${stageLabel(request.stage).toLowerCase()}`;
    case 'partnership':
      return `it seeks ${list(request.partnershipTypes.map(partnershipLabel)).toLowerCase()}`;
    case 'none':
      return 'it states no partnership type';
  }
}

function describeConceptMatch(match: MatchedConcept): string {
  const words = match.sourcePhrase === match.candidatePhrase ? `'${match.sourcePhrase}'` : `'${match.sourcePhrase}' ~ '${match.candidatePhrase}'`;
  switch (match.relation) {
    case 'same':
      return `Concept "${match.label}" matched: ${words}`;
    case 'narrower':
      return `Concept "${match.label}" matched: ${words} (${match.candidateLabel}, a kind of ${match.label})`;
    case 'broader':
      return `Concept "${match.label}" matched: ${words} (${match.label}, a kind of ${match.candidateLabel})`;
    case 'related':
      return `Related concepts: "${match.label}" and "${match.candidateLabel}" (${words})`;
  }
}

function list(items: readonly string[]) {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function lowerFirst(text: string) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
