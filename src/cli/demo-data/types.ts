import type { Sector } from '../../modules/vocabularies/enums.js';

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
