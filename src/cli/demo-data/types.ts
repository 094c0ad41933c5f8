import type {
  IprStatus,
  ListingKind,
  OrganizationSize,
  OrganizationType,
  PartnershipType,
  Sector,
  Stage,
} from '../../modules/vocabularies/enums.js';

export interface DemoOrganization {
  name: string;
  type: OrganizationType;
  size: OrganizationSize | null;
  /** ISO 3166-1 alpha-2. */
  country: string;
  website: string | null;
  contactEmail: string;
  contactPhone: string | null;
}

export type DemoListingStatus = 'draft' | 'submitted' | 'published' | 'expired' | 'withdrawn';

export interface DemoListing {
  /** Index into the organisations array. */
  organizationIndex: number;
  kind: ListingKind;
  title: string;
  summary: string;
  description: string;
  /** Offers: what is new and better than what (≤ 2000). */
  advantages: string | null;
  /** Requests: technical specification sought (≤ 2000). */
  specificationSought: string | null;
  sectors: Sector[];
  keywords: string[];
  stage: Stage;
  trl: number;
  iprStatus: IprStatus;
  iprNotes: string | null;
  partnershipTypes: PartnershipType[];
  targetCountries: string[];
  sdgs: number[];
  anonymous: boolean;
  status: DemoListingStatus;
  /** For published and expired listings: 0..400 (expired ones > 365); otherwise null. */
  publishedDaysAgo: number | null;
}

/**
 * A hand-written technology family: one kind of technology that both providers offer and SMEs ask
 * for. Text fields are templates: `{key}` is replaced by a value of `vars[key]` drawn once per
 * listing (so title, text and keywords agree), or by a context value: `{country}`, `{place}`.
 * `{Key}` (capitalised) inserts the value with its first letter in upper case.
 */
export interface TechFamily {
  id: string;
  /** 1–3 sectors, the first is the main one. */
  sectors: readonly Sector[];
  /** SDG numbers the technology contributes to, most relevant first. */
  sdgs: readonly number[];
  keywords: readonly string[];
  /** 0: mostly research stage, 1: mixed, 2: mostly demonstrated or on the market. */
  maturity: 0 | 1 | 2;
  /** Only makes sense for organisations in countries with a coastline. */
  coastal?: boolean;
  vars: Readonly<Record<string, readonly string[]>>;
  /** Vars whose drawn value is also added as a keyword. */
  kwVars?: readonly string[];
  /** Offer noun phrase with article: "an off-grid solar cold room for {produce}". */
  what: string;
  /** Request noun phrase with article: "a low-cost way to chill {produce} without grid power". */
  want: string;
  offerTitles: readonly string[];
  requestTitles: readonly string[];
  /** Offer: technical description, 2–3 sentences, with measurable figures. */
  offer: string;
  /** Offer: what is new and better than what. */
  advantages: string;
  /** Offer: typical users (plural noun phrase). */
  users: string;
  /** Request: the kind of organisation that asks ("seafood processing company"). */
  requester: string;
  /** Request: the situation and the need, first person plural, SME language. */
  need: string;
  /** Request: technical specification sought. */
  spec: string;
  /** Request: budget range in USD. */
  budget: readonly [number, number];
}
