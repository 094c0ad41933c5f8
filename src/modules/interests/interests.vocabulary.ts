// The controlled lists of expressions of interest and introductions. Codes are what the API and the
// database hold; labels are what mails print.

export const INTEREST_STATUSES = ['pending', 'accepted', 'declined', 'withdrawn'] as const;
export type InterestStatus = (typeof INTEREST_STATUSES)[number];

export const DECLINE_REASONS = [
  { code: 'not_relevant', label: 'Not relevant to us' },
  { code: 'too_early', label: 'Too early for us' },
  { code: 'no_capacity', label: 'No capacity at the moment' },
  { code: 'already_solved', label: 'We have already solved this' },
  { code: 'commercial_terms', label: 'The commercial terms do not fit' },
  { code: 'other', label: 'Other reason' },
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number]['code'];

export const INTRODUCTION_STATUSES = ['in_discussion', 'agreement_signed', 'closed', 'ended_without_agreement'] as const;
export type IntroductionStatus = (typeof INTRODUCTION_STATUSES)[number];

export const AGREEMENT_TYPES = [
  { code: 'licence', label: 'Licence agreement' },
  { code: 'joint_venture', label: 'Joint venture' },
  { code: 'technical_cooperation', label: 'Technical cooperation' },
  { code: 'commercial_agreement_with_technical_assistance', label: 'Commercial agreement with technical assistance' },
  { code: 'research_cooperation', label: 'Research cooperation' },
  { code: 'investment', label: 'Investment' },
  { code: 'manufacturing_supply', label: 'Manufacturing / supply' },
  { code: 'other', label: 'Other' },
] as const;
export type AgreementType = (typeof AGREEMENT_TYPES)[number]['code'];

export type IntroductionAction = 'agreement' | 'close' | 'end';

/**
 * The outcome of an introduction. An agreement, once signed, is the result the Centre reports, so it
 * cannot turn into "ended without agreement": the partnership running its course, or being
 * terminated, is `close` (with a note). Ending without agreement is only for talks that led nowhere.
 */
export const INTRODUCTION_TRANSITIONS: Record<IntroductionAction, { from: readonly IntroductionStatus[]; to: IntroductionStatus }> = {
  agreement: { from: ['in_discussion'], to: 'agreement_signed' },
  close: { from: ['agreement_signed'], to: 'closed' },
  end: { from: ['in_discussion'], to: 'ended_without_agreement' },
};

export const labelOf = <T extends { code: string; label: string }>(list: readonly T[], code: string) =>
  list.find((entry) => entry.code === code)?.label ?? code;
