import { normalizeText } from '../language/text.js';
import type { ListingRow } from './listings.repository.js';

// What an editor checks before publishing, as rules both the review page and any API share: the
// listing is complete enough to be useful, and an anonymous one does not give its owner away.

/** Below this, advantages or the specification sought say too little to judge the listing. */
export const MIN_DETAIL_CHARS = 60;
/** From this TRL on the text should say how the level was shown (a pilot, a test, customers). */
export const TRL_EVIDENCE_FROM = 4;

export type CompletenessCode =
  | 'advantages_missing'
  | 'advantages_too_short'
  | 'specification_missing'
  | 'specification_too_short'
  | 'no_trl_evidence'
  | 'summary_repeats_title'
  | 'anonymous_names_organization'
  | 'anonymous_patent_number'
  | 'anonymous_web_address';

export interface CompletenessFinding {
  code: CompletenessCode;
  /** The listing field the finding is about. */
  field: 'advantages' | 'specificationSought' | 'description' | 'summary' | 'title' | 'keywords';
}

type CheckedListing = Pick<
  ListingRow,
  'kind' | 'title' | 'summary' | 'description' | 'advantages' | 'specificationSought' | 'keywords' | 'trl' | 'anonymous'
>;

const TRL_EVIDENCE =
  /\b(tested|tests?|testing|trials?|trialled|piloted|pilots?|prototypes?|demonstrat\w*|validated|validation|field[- ]tested|installed|installations?|deployed|in operation|operating|customers?|clients?|sold|sales|units?|certified|certification|measured|laboratory|lab)\b/i;
const PATENT_NUMBER = /\b(patent|pat\.|application)\s*(no\.?|number|nr\.?|#)?\s*:?\s*[A-Z]{0,3}\s?[\d][\d ,./-]{3,}\d\b|\b(US|EP|WO|CN|JP|KR|TH|IN|DE|GB)\s?\d{4}[/ ]?\d{3,}\s?[A-Z]?\d?\b/i;
const WEB_ADDRESS = /\bhttps?:\/\/\S+|\bwww\.\S+|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|org|net|io|co|info|biz|edu|gov|ac|int|[a-z]{2})\/?\b(?!\.\d)/i;

/** The words of a text, without case, accents or punctuation. */
const wordsOf = (text: string) => normalizeText(text).split(' ').filter(Boolean);

function summaryRepeatsTitle(title: string, summary: string) {
  const titleText = normalizeText(title);
  const summaryText = normalizeText(summary);
  if (summaryText === titleText || summaryText.startsWith(titleText)) return true;
  const titleWords = new Set(wordsOf(title));
  const summaryWords = wordsOf(summary);
  // A summary made (almost) only of the title's words tells a reader nothing more.
  return summaryWords.length > 0 && summaryWords.filter((word) => titleWords.has(word)).length / summaryWords.length >= 0.8;
}

function detailFinding(kind: 'advantages' | 'specification', value: string | null): CompletenessFinding | null {
  const field = kind === 'advantages' ? 'advantages' : 'specificationSought';
  if (!value || value.trim() === '') return { code: `${kind}_missing`, field };
  if (value.trim().length < MIN_DETAIL_CHARS) return { code: `${kind}_too_short`, field };
  return null;
}

/** The texts an anonymous listing shows in public, by field. */
function publicTexts(listing: CheckedListing) {
  return [
    ['title', listing.title],
    ['summary', listing.summary],
    ['description', listing.description],
    ['advantages', listing.advantages ?? ''],
    ['specificationSought', listing.specificationSought ?? ''],
    ['keywords', listing.keywords.join(', ')],
  ] as const;
}

/**
 * The completeness check: what is missing or weak, and (for an anonymous listing) what in its
 * public text names the organisation, a patent number or a web address. `organizationName` is the
 * owner's organisation.
 */
export function checkCompleteness(listing: CheckedListing, organizationName: string): CompletenessFinding[] {
  const findings: CompletenessFinding[] = [];
  const detail = listing.kind === 'offer' ? detailFinding('advantages', listing.advantages) : detailFinding('specification', listing.specificationSought);
  if (detail) findings.push(detail);
  if (listing.trl >= TRL_EVIDENCE_FROM && !TRL_EVIDENCE.test(`${listing.description}\n${listing.advantages ?? ''}`)) {
    findings.push({ code: 'no_trl_evidence', field: 'description' });
  }
  if (summaryRepeatsTitle(listing.title, listing.summary)) findings.push({ code: 'summary_repeats_title', field: 'summary' });
  if (listing.anonymous) {
    const organization = normalizeText(organizationName);
    for (const [field, text] of publicTexts(listing)) {
      if (organization && ` ${normalizeText(text)} `.includes(` ${organization} `)) findings.push({ code: 'anonymous_names_organization', field });
      if (PATENT_NUMBER.test(text)) findings.push({ code: 'anonymous_patent_number', field });
      if (WEB_ADDRESS.test(text)) findings.push({ code: 'anonymous_web_address', field });
    }
  }
  return findings;
}
