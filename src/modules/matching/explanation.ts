import { wordFamily } from '../language/stemming.js';
import { explainsAMatch, tokens } from '../language/text.js';
import { countryNameInSentence, regionOf, REGIONS } from '../vocabularies/countries.js';
import { labelOf, PARTNERSHIP_TYPES, SECTORS, STAGES } from '../vocabularies/enums.js';
import { LABEL_TEXT, type MatchLabel } from './calibration.js';
import type { MatchProfile } from './listing-analysis.js';
import { TARGET_FIT, type StructuralFit, type TrlBasis } from './structural-fit.js';
import type { MatchedConcept, TextRelevance } from './text-relevance.js';

// A match in words a person reads in five seconds: the strongest reasons first, the gaps that
// matter (maturity, partnership, region) in plain words, countries and regions by name, no word
// among the shared ones that says nothing (stop words, words every listing uses). Built here,
// once: the API returns it and the web pages show it as it is, so both say the same thing.

const sectorLabel = (code: string) => labelOf(SECTORS, code);
const partnershipLabel = (code: string) => labelOf(PARTNERSHIP_TYPES, code);
const stageLabel = (code: string) => labelOf(STAGES, code);
const regionLabel = (code: string) => labelOf(REGIONS, code);
const nameOf = (code: string) => countryNameInSentence(code) ?? code;

/** Concept matches and shared words an explanation names at most. */
const CONCEPTS_SHOWN = 3;
const WORDS_SHOWN = 4;
/** Countries a gap names before "…". */
const COUNTRIES_SHOWN = 4;

export interface ExplanationText {
  summary: string;
  /** The shared words worth naming (see sharedWords), most salient first. */
  sharedWords: string[];
  /** Reasons the two fit, strongest first. */
  fits: string[];
  /** Reasons they may not, the ones that decide a deal first. */
  gaps: string[];
}

/** What a reason is about: the summary gives the strongest of what it is about and of whether a deal can happen. */
type ReasonKind = 'topic' | 'deal' | 'place';

interface Reason {
  text: string;
  /** Higher first. */
  strength: number;
  kind: ReasonKind;
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

  // What it is about: shared concepts, then the shared words a person can check that they do not name already.
  const concepts = relevance.matchedConcepts.slice(0, CONCEPTS_SHOWN);
  for (const concept of concepts) fits.push(describeConceptMatch(concept));
  const sharedWords = wordsWorthNaming(relevance.matchedTerms);
  const namedByConcepts = new Set(concepts.flatMap((concept) => tokens(`${concept.sourcePhrase} ${concept.candidatePhrase}`)).map(wordFamily));
  const words = sharedWords.filter((word) => !namedByConcepts.has(wordFamily(word))).slice(0, WORDS_SHOWN);
  if (words.length) fits.push({ text: `Both mention ${list(words, 'and')}`, strength: 0.5 + 0.1 * words.length, kind: 'topic' });
  if (!concepts.length && !words.length) gaps.push({ text: 'Few words or topics in common', strength: 1, kind: 'topic' });

  // Whether a deal can happen: partnership, maturity, region.
  const { partnership, trl } = fit;
  const offered = list(offer.partnershipTypes.map(partnershipLabel), 'or').toLowerCase();
  const sought = list(request.partnershipTypes.map(partnershipLabel), 'or').toLowerCase();
  if (partnership.fit === 'good') fits.push({ text: `Both look for ${list(partnership.shared.map(partnershipLabel), 'or').toLowerCase()}`, strength: 0.6, kind: 'deal' });
  else if (partnership.fit === 'partial') fits.push({ text: `Close partnership types: the offer proposes ${offered}, the request seeks ${sought}`, strength: 0.3, kind: 'deal' });
  else gaps.push({ text: `Different partnership: the offer proposes ${offered}; the request seeks ${sought}`, strength: 0.8, kind: 'deal' });

  const needed = trl.neededMax === 9 ? `TRL ${trl.neededMin} or more` : `TRL ${trl.neededMin} to ${trl.neededMax}`;
  const offerStage = `${stageLabel(offer.stage).toLowerCase()} (TRL ${offer.trl})`;
  if (trl.fit === 'good') fits.push({ text: `Mature enough: the offer is ${offerStage}; the request needs ${needed}`, strength: 0.55, kind: 'deal' });
  else if (offer.trl < trl.neededMin) gaps.push({ text: `Not ready yet: the offer is ${offerStage}; the request needs ${needed} (${trlReason(trl.basis, request)})`, strength: 0.9, kind: 'deal' });
  else gaps.push({ text: `More mature than sought: the offer is ${offerStage}; the request looks for ${needed} (${trlReason(trl.basis, request)})`, strength: 0.4, kind: 'deal' });

  for (const side of fit.country.sides) {
    if (side.targets.length === 0) continue;
    const partnerCountry = nameOf(side.partnerCountry);
    if (side.fit === TARGET_FIT.country) fits.push({ text: `The ${side.who} targets ${partnerCountry}, where the ${side.partner} is`, strength: 0.35, kind: 'place' });
    else if (side.fit === TARGET_FIT.region) {
      const region = regionLabel(regionOf(side.partnerCountry) ?? '');
      fits.push({ text: `The ${side.who} targets countries of ${region}; the ${side.partner} is in ${partnerCountry}`, strength: 0.3, kind: 'place' });
    } else {
      const targets = side.targets.slice(0, COUNTRIES_SHOWN).map(nameOf);
      const named = side.targets.length > COUNTRIES_SHOWN ? `${targets.join(', ')} and ${side.targets.length - COUNTRIES_SHOWN} more` : list(targets, 'and');
      gaps.push({ text: `Other region: the ${side.who} targets ${named}; the ${side.partner} is in ${partnerCountry}`, strength: 0.7, kind: 'place' });
    }
  }
  if (fit.country.sides.every((side) => side.targets.length === 0)) fits.push({ text: 'Neither side limits the countries it works with', strength: 0.1, kind: 'place' });

  // The sector only confirms or questions the reading of the text.
  const sharedSectors = fit.sectors.shared;
  if (sharedSectors.length) fits.push({ text: `Same sector${sharedSectors.length > 1 ? 's' : ''}: ${labels(sharedSectors.map(sectorLabel))}`, strength: 0.25, kind: 'topic' });
  else {
    const text = `Different sectors: the request is in ${labels(request.sectors.map(sectorLabel))}; the offer in ${labels(offer.sectors.map(sectorLabel))}`;
    gaps.push({ text, strength: 0.3, kind: 'topic' });
  }

  const ordered = (reasons: Reason[]) => [...reasons].sort((a, b) => b.strength - a.strength);
  const fitReasons = ordered(fits);
  const gapReasons = ordered(gaps);
  return {
    summary: summaryOf(label, candidate.kind, fitReasons, gapReasons[0] ?? null),
    sharedWords,
    fits: fitReasons.map((reason) => reason.text),
    gaps: gapReasons.map((reason) => reason.text),
  };
}

/**
 * The sentence read first: what the two share (the strongest reason of what they are about) and
 * whether a deal can happen (the strongest of the others), then the gap that matters most.
 */
function summaryOf(label: MatchLabel, counterpart: 'offer' | 'request', fits: Reason[], gap: Reason | null) {
  const topic = fits.find((reason) => reason.kind === 'topic' && reason.strength >= 0.5);
  const other = fits.find((reason) => reason !== topic && (reason.kind !== 'topic' || !topic));
  const reasons = [topic, other].filter((reason): reason is Reason => reason !== undefined).map((reason) => lowerFirst(reason.text)).join('; ');
  const gapText = gap ? lowerFirst(gap.text) : null;
  const head = `${LABEL_TEXT[label]} ${counterpart} match`;
  if (label === 'strong') return `${head}: ${reasons}${gapText ? `. To check: ${gapText}` : ''}.`;
  if (label === 'possible') return `${head}: ${reasons || 'some words in common'}${gapText ? `. But: ${gapText}` : ''}.`;
  return `${head}${gapText ? `: ${gapText}` : ''}.`;
}

/**
 * The shared words worth naming, most salient first: none that says nothing about a technology
 * (stop words, words every listing uses, vague ones), one form of each word ('drying', not also 'dried').
 */
function wordsWorthNaming(matchedTerms: readonly string[]) {
  const families = new Set<string>();
  const words: string[] = [];
  for (const word of matchedTerms) {
    const family = wordFamily(word);
    if (!explainsAMatch(word) || families.has(family)) continue;
    families.add(family);
    words.push(word);
  }
  return words;
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
  // The listings' own words, unless they are the concept's name: 'e-waste' needs no "('e-waste')".
  const own = [...new Set([match.sourcePhrase, match.candidatePhrase])];
  const sameAsLabel = own.every((phrase) => [match.label, match.candidateLabel].some((name) => tokens(name).join(' ') === tokens(phrase).join(' ')));
  const words = sameAsLabel ? '' : ` (${own.map((phrase) => `'${phrase}'`).join(' and ')})`;
  switch (match.relation) {
    case 'same':
      return { text: `Both are about ${lowerFirst(match.label)}${words}`, strength: 1, kind: 'topic' };
    case 'narrower':
      return { text: `A kind of ${lowerFirst(match.label)}: ${lowerFirst(match.candidateLabel)}${words}`, strength: 0.9, kind: 'topic' };
    case 'broader':
      return { text: `A kind of ${lowerFirst(match.candidateLabel)}: ${lowerFirst(match.label)}${words}`, strength: 0.85, kind: 'topic' };
    case 'related':
      return { text: `Related topics: ${labels([match.label, match.candidateLabel].map(lowerFirst))}${words}`, strength: 0.45, kind: 'topic' };
  }
}

function list(items: readonly string[], conjunction: 'and' | 'or') {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Names that hold 'and' themselves ('Agriculture and food') are set apart by semicolons, so none runs into the next. */
function labels(items: readonly string[]) {
  return items.some((item) => / and /.test(item)) ? items.join('; ') : list(items, 'and');
}

/** Lower-cases the first letter unless the first word is an acronym ('PV', 'TRL'). */
function lowerFirst(text: string) {
  return /^[A-Z]{2}/.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}
