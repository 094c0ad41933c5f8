// What a score means to the person reading it. Scores are calibrated on the labelled evaluation set
// (tests/fixtures/matching-eval, `npm run eval:matching`), which holds requests no offer answers:
// "strong" is a score an unanswerable request's best match rarely reaches and an answered request's
// first relevant offer usually does; "possible" is worth a look; below that, a match is weak and
// not offered as an answer.

export type MatchLabel = 'strong' | 'possible' | 'weak';

/**
 * The least score of each label, and the least word overlap (the `terms` component: the share of
 * each listing's salient words the other holds) a strong match needs. The score alone cannot say
 * "strong": the engine's part is relative to the best candidate, which is 1 even when nothing fits,
 * and a short request may share one topic with an offer that does not answer it. Words in common on
 * both sides are what separated answered from unanswerable requests on the labelled set.
 */
export const LABEL_THRESHOLDS = { strong: 46, strongTerms: 0.5, possible: 35 } as const;

/**
 * `ready`: the offer is mature enough for the deal sought, or nearly. A technology two or more TRL
 * levels short of what the request needs is not an answer yet, however well the texts agree.
 */
export function labelOf(score: number, terms: number, ready: boolean): MatchLabel {
  if (ready && score >= LABEL_THRESHOLDS.strong && terms >= LABEL_THRESHOLDS.strongTerms) return 'strong';
  return score >= LABEL_THRESHOLDS.possible ? 'possible' : 'weak';
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
