// The controlled lists of the technology database. The API serves them at GET /api/v1/vocabularies,
// the zod schemas validate against them and the database stores their codes, so a code is
// defined here once and nowhere else.

export const LISTING_KINDS = ['offer', 'request'] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

export const LISTING_STATUSES = [
  'draft',
  'submitted',
  'returned',
  'published',
  'on_hold',
  'rejected',
  'withdrawn',
  'expired',
  'archived',
] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

export const STAGES = [
  { code: 'concept', label: 'Concept' },
  { code: 'under_development', label: 'Under development' },
  { code: 'lab_tested', label: 'Lab tested' },
  { code: 'available_for_demonstration', label: 'Available for demonstration' },
  { code: 'on_the_market', label: 'On the market' },
] as const;
export type Stage = (typeof STAGES)[number]['code'];

export const IPR_STATUSES = [
  { code: 'none', label: 'No IPR' },
  { code: 'secret_know_how', label: 'Secret know-how' },
  { code: 'ipr_applied', label: 'Applied for, not yet granted' },
  { code: 'ipr_granted', label: 'Granted' },
] as const;
export type IprStatus = (typeof IPR_STATUSES)[number]['code'];

export const PARTNERSHIP_TYPES = [
  { code: 'licence', label: 'Licence agreement' },
  { code: 'technical_cooperation', label: 'Technical cooperation' },
  { code: 'commercial_agreement_with_technical_assistance', label: 'Commercial agreement with technical assistance' },
  { code: 'joint_venture', label: 'Joint venture' },
  { code: 'research_cooperation', label: 'Research cooperation' },
  { code: 'investment_finance', label: 'Investment / finance' },
  { code: 'manufacturing_supply', label: 'Manufacturing / supply' },
  { code: 'ip_sale_assignment', label: 'Sale or assignment of IP' },
] as const;
export type PartnershipType = (typeof PARTNERSHIP_TYPES)[number]['code'];

export const SECTORS = [
  { code: 'renewable_energy', label: 'Renewable and clean energy' },
  { code: 'bio_energy', label: 'Bio-energy' },
  { code: 'energy_efficiency', label: 'Energy efficiency and storage' },
  { code: 'agriculture_food', label: 'Agriculture and food' },
  { code: 'water', label: 'Water and sanitation' },
  { code: 'climate_change', label: 'Climate change mitigation and adaptation' },
  { code: 'circular_economy', label: 'Circular and bio-circular-green economy' },
  { code: 'health', label: 'Health and pandemic response' },
  { code: 'ict_digital', label: 'ICT, IoT and artificial intelligence' },
  { code: 'robotics_automation', label: 'Robotics and automation' },
  { code: 'ocean_economy', label: 'Ocean economy' },
  { code: 'manufacturing_materials', label: 'Manufacturing and materials' },
  { code: 'environment', label: 'Environment and pollution control' },
  { code: 'transport_mobility', label: 'Transport and mobility' },
  { code: 'construction_housing', label: 'Construction and housing' },
] as const;
export type Sector = (typeof SECTORS)[number]['code'];

export const ORGANIZATION_TYPES = [
  { code: 'sme', label: 'SME' },
  { code: 'large_company', label: 'Large company' },
  { code: 'rnd_institution', label: 'R&D institution' },
  { code: 'university', label: 'University' },
  { code: 'other', label: 'Other' },
] as const;
export type OrganizationType = (typeof ORGANIZATION_TYPES)[number]['code'];

export const ORGANIZATION_SIZES = [
  { code: 'size_1_10', label: '1–10 employees' },
  { code: 'size_11_49', label: '11–49 employees' },
  { code: 'size_50_249', label: '50–249 employees' },
  { code: 'size_250_plus', label: '250 or more employees' },
] as const;
export type OrganizationSize = (typeof ORGANIZATION_SIZES)[number]['code'];

export const USER_ROLES = ['member', 'intermediary', 'editor', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const SDGS = [
  { code: 1, label: 'No poverty' },
  { code: 2, label: 'Zero hunger' },
  { code: 3, label: 'Good health and well-being' },
  { code: 4, label: 'Quality education' },
  { code: 5, label: 'Gender equality' },
  { code: 6, label: 'Clean water and sanitation' },
  { code: 7, label: 'Affordable and clean energy' },
  { code: 8, label: 'Decent work and economic growth' },
  { code: 9, label: 'Industry, innovation and infrastructure' },
  { code: 10, label: 'Reduced inequalities' },
  { code: 11, label: 'Sustainable cities and communities' },
  { code: 12, label: 'Responsible consumption and production' },
  { code: 13, label: 'Climate action' },
  { code: 14, label: 'Life below water' },
  { code: 15, label: 'Life on land' },
  { code: 16, label: 'Peace, justice and strong institutions' },
  { code: 17, label: 'Partnerships for the goals' },
] as const;

export const TRL_LEVELS = [
  { code: 1, label: 'Basic principles observed' },
  { code: 2, label: 'Technology concept formulated' },
  { code: 3, label: 'Experimental proof of concept' },
  { code: 4, label: 'Technology validated in lab' },
  { code: 5, label: 'Technology validated in relevant environment' },
  { code: 6, label: 'Technology demonstrated in relevant environment' },
  { code: 7, label: 'System prototype demonstration in operational environment' },
  { code: 8, label: 'System complete and qualified' },
  { code: 9, label: 'Actual system proven in operational environment' },
] as const;

export const codesOf = <T extends { code: string }>(list: readonly T[]) =>
  list.map((entry) => entry.code) as unknown as [T['code'], ...T['code'][]];

// Expressions of interest and introductions: why an owner declined, and what kind of agreement was signed.
export const DECLINE_REASONS = [
  { code: 'not_relevant', label: 'Not relevant to us' },
  { code: 'too_early', label: 'Too early for us' },
  { code: 'no_capacity', label: 'No capacity at the moment' },
  { code: 'already_solved', label: 'We have already solved this' },
  { code: 'commercial_terms', label: 'The commercial terms do not fit' },
  { code: 'other', label: 'Other reason' },
] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number]['code'];

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

type LabelledList = readonly { code: string | number; label: string }[];

// Matching labels every candidate it explains, so each list is indexed once, on first use.
const labelIndexes = new WeakMap<LabelledList, Map<string | number, string>>();

/** The label of a code in one of the lists above; an unknown code prints as itself. */
export function labelOf(list: LabelledList, code: string | number): string {
  let index = labelIndexes.get(list);
  if (!index) {
    index = new Map(list.map((entry) => [entry.code, entry.label]));
    labelIndexes.set(list, index);
  }
  return index.get(code) ?? String(code);
}
