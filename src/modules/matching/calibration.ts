// What a score means to the person reading it. Scores are calibrated on the labelled evaluation set
// (tests/fixtures/matching-eval, `npm run eval:matching`), which holds requests no offer answers:
// "strong" is a score an unanswerable request's best match rarely reaches and an answered request's
// first relevant offer usually does; "possible" is worth a look; below that, a match is weak and
// not offered as an answer.

export type MatchLabel = 'strong' | 'possible' | 'weak';

/**
 * The least evidence of each label. The score ranks, but cannot say "strong": its engine and
 * lexical parts are relative to the best candidate, which gets full marks even when nothing fits.
 * What separated answered from unanswerable requests on the labelled set is the absolute amount of
 * distinctive wording the two listings share (their BM25 among the candidates, scaled by the
 * structural fit as the score is): an unanswerable request's best match shares a topic word or
 * two, an answer shares several of its rarer words. `strongEvidence` and `possibleEvidence` are on
 * that scale; a strong match also holds `strongEvidenceTerms` of the word overlap both ways, which
 * guards a young marketplace, where a handful of candidates cannot tell a common word from a rare
 * one (on the labelled set it cost 1 answered request in 132 and no unanswerable one). Without
 * candidates to weigh words against (a listing scored alone, for alerts), the score and the word
 * overlap both ways decide, as before.
 */
export const LABEL_THRESHOLDS = { strongEvidence: 9, strongEvidenceTerms: 0.3, possibleEvidence: 6, strong: 46, strongTerms: 0.5, possible: 35 } as const;

export interface LabelInputs {
  score: number;
  /** The lexical evidence times the structural fit (null: scored alone). */
  evidence: number | null;
  /** The word overlap both ways, 0..1. */
  terms: number;
  /**
   * The offer is mature enough for the deal sought, or nearly. A technology two or more TRL
   * levels short of what the request needs is not an answer yet, however well the texts agree.
   */
  ready: boolean;
}

export function labelOf({ score, evidence, terms, ready }: LabelInputs): MatchLabel {
  if (evidence === null) {
    if (ready && score >= LABEL_THRESHOLDS.strong && terms >= LABEL_THRESHOLDS.strongTerms) return 'strong';
    return score >= LABEL_THRESHOLDS.possible ? 'possible' : 'weak';
  }
  if (ready && evidence >= LABEL_THRESHOLDS.strongEvidence && terms >= LABEL_THRESHOLDS.strongEvidenceTerms) return 'strong';
  return evidence >= LABEL_THRESHOLDS.possibleEvidence ? 'possible' : 'weak';
}

/** How a label reads at the start of a sentence. */
export const LABEL_TEXT: Record<MatchLabel, string> = { strong: 'A strong', possible: 'A possible', weak: 'A weak' };

export interface MatchSummary {
  strongMatches: number;
  possibleMatches: number;
  /** True when no match is labelled strong: the weaker ones are not presented as answers. */
  noStrongMatch: boolean;
  /** One sentence for the person who asked. */
  message: string;
}

/** What a list of matches amounts to, said plainly (the same sentence in the API and on the pages). */
export function summarizeMatches(labels: readonly MatchLabel[], counterpart: 'offer' | 'request'): MatchSummary {
  const strongMatches = labels.filter((label) => label === 'strong').length;
  const possibleMatches = labels.filter((label) => label === 'possible').length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 'es'}`;
  const message =
    strongMatches > 0
      ? `${plural(strongMatches, `strong ${counterpart} match`)}${possibleMatches ? ` and ${plural(possibleMatches, 'possible match')}` : ''}.`
      : `No strong ${counterpart} match yet${possibleMatches ? ` (${plural(possibleMatches, 'possible match')} to look at)` : ''}; save an alert for this listing and we will tell you when one is published.`;
  return { strongMatches, possibleMatches, noStrongMatch: strongMatches === 0, message };
}
