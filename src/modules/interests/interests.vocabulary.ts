// The states of expressions of interest and introductions and the moves between them. The reasons
// for declining and the kinds of agreement are controlled lists served with the others, in
// src/modules/vocabularies/enums.ts.

export const INTEREST_STATUSES = ['pending', 'accepted', 'declined', 'withdrawn'] as const;
export type InterestStatus = (typeof INTEREST_STATUSES)[number];

export const INTRODUCTION_STATUSES = ['in_discussion', 'agreement_signed', 'closed', 'ended_without_agreement'] as const;
export type IntroductionStatus = (typeof INTRODUCTION_STATUSES)[number];

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
