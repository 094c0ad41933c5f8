import { countryName, regionOf, REGIONS } from '../vocabularies/countries.js';
import { PARTNERSHIP_TYPES, SECTORS, STAGES } from '../vocabularies/enums.js';
import { LABEL_TEXT, type MatchLabel } from './calibration.js';
import type { MatchProfile } from './listing-analysis.js';
import { TARGET_FIT, type StructuralFit, type TrlBasis } from './structural-fit.js';
import type { MatchedConcept, TextRelevance } from './text-relevance.js';

// A match in words a person reads in five seconds: the strongest reasons first, the gaps that
// matter (maturity, partnership, region) in plain words, countries and regions by name. Built here,
// once: the API returns it and the web pages show it as it is, so both say the same thing.

const sectorLabel = labelOf(SECTORS);
const partnershipLabel = labelOf(PARTNERSHIP_TYPES);
const stageLabel = labelOf(STAGES);
const regionLabel = labelOf(REGIONS);
const nameOf = (code: string) => countryName(code) ?? code;

function labelOf(list: readonly { code: string; label: string }[]) {
  const labels = new Map(list.map((entry) => [entry.code, entry.label]));
  return (code: string) => labels.get(code) ?? code;
}

/** Concept matches and shared words an explanation names at most. */
const CONCEPTS_SHOWN = 3;
const WORDS_SHOWN = 5;
/** Reasons the summary sentence gives. */
const SUMMARY_REASONS = 2;
/** Countries a gap names before "…". */
const COUNTRIES_SHOWN = 4;

export interface ExplanationText {
  summary: string;
  /** Reasons the two fit, strongest first. */
  fits: string[];
  /** Reasons they may not, the ones that decide a deal first. */
  gaps: string[];
}

interface Reason {
  text: string;
  /** Higher first. */
  strength: number;
}

export function explainMatch(
  source: MatchProfile,
  candidate: MatchProfile,
  relevance: TextRelevance,
  fit: StructuralFit,
  label: MatchLabel,
): ExplanationText {
  const offer = source.kind === 'offer' ? source : candidate;
  const request = source.kind === 'offer' ? candidate : source;
  const fits: Reason[] = [];
  const gaps: Reason[] = [];

  // What it is about: shared concepts, then shared words a person can check.
  for (const concept of relevance.matchedConcepts.slice(0, CONCEPTS_SHOWN)) fits.push(describeConceptMatch(concept));
  const words = relevance.matchedTerms.slice(0, WORDS_SHOWN);
  if (words.length) fits.push({ text: `Both mention ${list(words, 'and')}`, strength: 0.5 + 0.1 * words.length });
  if (!relevance.matchedConcepts.length && !words.length) gaps.push({ text: 'Few words or topics in common', strength: 1 });

  // Whether a deal can happen: partnership, maturity, region.
  const { partnership, trl } = fit;
  const offered = list(offer.partnershipTypes.map(partnershipLabel), 'or').toLowerCase();
  const sought = list(request.partnershipTypes.map(partnershipLabel), 'or').toLowerCase();
  if (partnership.fit === 'good') fits.push({ text: `Both look for ${list(partnership.shared.map(partnershipLabel), 'or').toLowerCase()}`, strength: 0.6 });
  else if (partnership.fit === 'partial') fits.push({ text: `Close partnership types: the offer proposes ${offered}, the request seeks ${sought}`, strength: 0.3 });
  else gaps.push({ text: `Different partnership: the offer proposes ${offered}; the request seeks ${sought}`, strength: 0.8 });

  const needed = trl.neededMax === 9 ? `TRL ${trl.neededMin} or more` : `TRL ${trl.neededMin} to ${trl.neededMax}`;
  const offerStage = `${stageLabel(offer.stage).toLowerCase()} (TRL ${offer.trl})`;
  if (trl.fit === 'good') fits.push({ text: `Mature enough: the offer is ${offerStage}; the request needs ${needed}`, strength: 0.55 });
  else if (offer.trl < trl.neededMin) gaps.push({ text: `Not ready yet: the offer is ${offerStage}; the request needs ${needed} (${trlReason(trl.basis, request)})`, strength: 0.9 });
  else gaps.push({ text: `More mature than sought: the offer is ${offerStage}; the request looks for ${needed} (${trlReason(trl.basis, request)})`, strength: 0.4 });

  for (const side of fit.country.sides) {
    if (side.targets.length === 0) continue;
    const partner = `${nameOf(side.partnerCountry)}, where the ${side.partner} is`;
    if (side.fit === TARGET_FIT.country) fits.push({ text: `The ${side.who} targets ${partner}`, strength: 0.35 });
    else if (side.fit === TARGET_FIT.region) {
      fits.push({ text: `The ${side.who} targets ${regionLabel(regionOf(side.partnerCountry) ?? '')}, the region of ${partner}`, strength: 0.3 });
    } else {
      const targets = side.targets.slice(0, COUNTRIES_SHOWN).map(nameOf);
      const named = side.targets.length > COUNTRIES_SHOWN ? `${targets.join(', ')} and ${side.targets.length - COUNTRIES_SHOWN} more` : list(targets, 'and');
      gaps.push({ text: `Other region: the ${side.who} targets ${named}, not ${partner}`, strength: 0.7 });
    }
  }
  if (fit.country.sides.every((side) => side.targets.length === 0)) fits.push({ text: 'Neither side limits the countries it works with', strength: 0.1 });

  // The sector only confirms or questions the reading of the text.
  const sharedSectors = fit.sectors.shared;
  if (sharedSectors.length) fits.push({ text: `Same sector: ${list(sharedSectors.map(sectorLabel), 'and')}`, strength: 0.25 });
  else gaps.push({ text: `Different sectors: the request is in ${list(request.sectors.map(sectorLabel), 'and')}; the offer in ${list(offer.sectors.map(sectorLabel), 'and')}`, strength: 0.3 });

  const ordered = (reasons: Reason[]) => reasons.sort((a, b) => b.strength - a.strength).map((reason) => reason.text);
  const fitTexts = ordered(fits);
  const gapTexts = ordered(gaps);
  return { summary: summaryOf(label, candidate.kind, fitTexts, gapTexts), fits: fitTexts, gaps: gapTexts };
}

function summaryOf(label: MatchLabel, counterpart: 'offer' | 'request', fits: string[], gaps: string[]) {
  const reasons = fits.slice(0, SUMMARY_REASONS).map(lowerFirst).join('; ');
  const gap = gaps[0] ? lowerFirst(gaps[0]) : null;
  const head = `${LABEL_TEXT[label]} ${counterpart} match`;
  if (label === 'strong') return `${head}: ${reasons}${gap ? `. To check: ${gap}` : ''}.`;
  if (label === 'possible') return `${head}: ${reasons || 'some words in common'}${gap ? `. But: ${gap}` : ''}.`;
  return `${head}${gap ? `: ${gap}` : ''}.`;
}

function trlReason(basis: TrlBasis, request: MatchProfile) {
  switch (basis) {
    case 'stage':
      return `it asks for a technology ${stageLabel(request.stage).toLowerCase()}`;
    case 'partnership':
      return `it seeks ${list(request.partnershipTypes.map(partnershipLabel), 'or').toLowerCase()}`;
    case 'none':
      return 'it states no partnership type';
  }
}

function describeConceptMatch(match: MatchedConcept): Reason {
  const words = match.sourcePhrase === match.candidatePhrase ? `'${match.sourcePhrase}'` : `'${match.sourcePhrase}' and '${match.candidatePhrase}'`;
  switch (match.relation) {
    case 'same':
      return { text: `Both are about ${lowerFirst(match.label)} (${words})`, strength: 1 };
    case 'narrower':
      return { text: `${match.candidateLabel} is a kind of ${lowerFirst(match.label)} (${words})`, strength: 0.9 };
    case 'broader':
      return { text: `${match.label} is a kind of ${lowerFirst(match.candidateLabel)} (${words})`, strength: 0.85 };
    case 'related':
      return { text: `Related topics: ${lowerFirst(match.label)} and ${lowerFirst(match.candidateLabel)} (${words})`, strength: 0.45 };
  }
}

function list(items: readonly string[], conjunction: 'and' | 'or') {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Lower-cases the first letter unless the first word is an acronym ('PV', 'TRL'). */
function lowerFirst(text: string) {
  return /^[A-Z]{2}/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}
