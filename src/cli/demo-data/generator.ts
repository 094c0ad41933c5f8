// Deterministic generator of realistic demo organisations and technology offers/requests.
// Used to seed a fresh demo database (~200 listings) and to produce 100,000 listings for the
// search and matching benchmarks. Everything derives from a seeded PRNG: same seed, same output.

import { PARTNERSHIP_TYPES } from '../../modules/vocabularies/enums.js';
import type { IprStatus, ListingKind, OrganizationType, PartnershipType, Sector, Stage } from '../../modules/vocabularies/enums.js';
import { TECH_FAMILIES } from './catalogue.js';
import { ASIA_PACIFIC_CODES, DEMO_COUNTRIES, PARTNER_CODES, countryByCode, type DemoCountry } from './countries.js';
import { generateOrganizationProfiles, type OrganizationProfile, type OrganizationRole } from './organizations.js';
import { chance, deriveSeed, intBetween, mulberry32, pick, pickWeighted, sample, shuffled, type Rng } from './prng.js';
import type { DemoListing, DemoListingStatus, DemoOrganization, TechFamily } from './types.js';

export type { DemoListing, DemoListingStatus, DemoOrganization, TechFamily } from './types.js';
export { TECH_FAMILIES } from './catalogue.js';
export { generateOrganizationProfiles } from './organizations.js';
export { DEMO_COUNTRY_CODES, ASIA_PACIFIC_CODES, PARTNER_CODES } from './countries.js';

export const DEFAULT_DEMO_SEED = 20260101;

export const TEXT_LIMITS = { title: 200, summary: 500, description: 4000, advantages: 2000, specificationSought: 2000 } as const;

export const TRL_RANGE_BY_STAGE: Readonly<Record<Stage, readonly [number, number]>> = {
  concept: [1, 3],
  under_development: [3, 5],
  lab_tested: [4, 6],
  available_for_demonstration: [6, 8],
  on_the_market: [8, 9],
};

const PARTNER_SET = new Set(PARTNER_CODES);

/** Titles of the first listings of a stream are kept unique (the demo database shows them). */
const TITLE_DEDUPE_LIMIT = 20000;

// ---------------------------------------------------------------------------------------------
// Text helpers

const PLACEHOLDER = /\{([A-Za-z]\w*)\}/g;
type Ctx = Record<string, string>;

function capitalize(s: string): string {
  return s.length === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

/** "a" before a vowel sound becomes "an" (templates put "a" before values such as "a {industry} plant"). */
const A_BEFORE_VOWEL = /\b([Aa]) (?=[aeioAEIO]|u(?!ni|se|sa|su|ti|re|ro))(?!one\b|one-|once\b)/g;

/** Replaces `{key}` by ctx[key]; `{Key}` inserts ctx[key] capitalised. Unknown keys are left as they are. */
function fill(template: string, ctx: Ctx): string {
  if (template.indexOf('{') < 0) return template;
  const filled = template.replace(PLACEHOLDER, (whole, key: string) => {
    const direct = ctx[key];
    if (direct !== undefined) return direct;
    const lower = key.charAt(0).toLowerCase() + key.slice(1);
    const value = ctx[lower];
    return value !== undefined ? capitalize(value) : whole;
  });
  return filled.replace(A_BEFORE_VOWEL, (_, a: string) => `${a}n `);
}

function article(word: string): string {
  return /^[AEIOaeio]/.test(word) || /^U[^S]/.test(word) ? 'an' : 'a';
}

function withArticle(phrase: string): string {
  return `${article(phrase)} ${phrase}`;
}

function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length === 2) return `${items[0]} and ${items[1]}`;
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function firstSentence(text: string): string {
  const at = text.indexOf('. ');
  return at < 0 ? text : text.slice(0, at + 1);
}

function clamp(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/, '')}…`;
}

function formatUsd(n: number): string {
  const step = n < 10000 ? 500 : n < 100000 ? 5000 : n < 1000000 ? 50000 : 250000;
  const rounded = Math.max(step, Math.round(n / step) * step);
  return String(rounded).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function digits(rng: Rng, n: number): string {
  let s = String(intBetween(rng, 1, 9));
  for (let i = 1; i < n; i++) s += String(intBetween(rng, 0, 9));
  return s;
}

// ---------------------------------------------------------------------------------------------
// Organisation selection

const OFFER_TYPE_WEIGHT: Record<OrganizationType, number> = { university: 3, rnd_institution: 3, sme: 2, large_company: 2, other: 1 };
const REQUEST_TYPE_WEIGHT: Record<OrganizationType, number> = { sme: 3, large_company: 1, other: 2, university: 1, rnd_institution: 1 };
const DEVELOPED_AP = new Set(['JP', 'KR', 'AU', 'NZ', 'SG']);

/** Requests come mostly from developing Asia-Pacific economies, offers from everywhere. */
function requestCountryFactor(code: string): number {
  if (PARTNER_SET.has(code)) return code === 'KE' || code === 'ZA' || code === 'BR' ? 1 : 0;
  return DEVELOPED_AP.has(code) ? 2 : 4;
}

type RequesterCategory = 'company' | 'collective' | 'public';

/** What kind of body a family's typical requester is, read from its wording. */
function requesterCategory(requester: string): RequesterCategory {
  if (/\b(department|authority|council|municipal|municipality|office|utility|school network)\b/i.test(requester)) return 'public';
  if (/(cooperative|association|committee|NGO|foundation|social enterprise|producer organisation|women|youth)/i.test(requester)) return 'collective';
  return 'company';
}

const ROLE_PREFERENCES: Record<RequesterCategory, readonly (readonly [OrganizationRole, number])[]> = {
  company: [['company', 0.85], ['broker', 0.15]],
  collective: [['collective', 0.6], ['broker', 0.1], ['company', 0.3]],
  public: [['public', 1]],
};

interface OrgIndex {
  /** key `${kind}|${role}|${sector}` (role '*' for offers): organisations whose main sector it is. */
  byPrimary: Map<string, number[]>;
  /** Same key: organisations that work in the sector at all. */
  byFocus: Map<string, number[]>;
  /** key `${kind}|${role}`. */
  byRole: Map<string, number[]>;
  all: number[];
}

function push(map: Map<string, number[]>, key: string, value: number, times: number): void {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  for (let k = 0; k < times; k++) list.push(value);
}

function buildOrgIndex(profiles: readonly OrganizationProfile[]): OrgIndex {
  const index: OrgIndex = { byPrimary: new Map(), byFocus: new Map(), byRole: new Map(), all: profiles.map((_, i) => i) };
  profiles.forEach((p, i) => {
    const type = p.organization.type;
    const offerWeight = p.role === 'public' || p.role === 'collective' ? 0 : OFFER_TYPE_WEIGHT[type];
    const requestWeight = REQUEST_TYPE_WEIGHT[type] * requestCountryFactor(p.organization.country);
    const primary = p.focus[0] as Sector;
    if (offerWeight > 0) {
      push(index.byPrimary, `offer|*|${primary}`, i, offerWeight);
      for (const s of p.focus) push(index.byFocus, `offer|*|${s}`, i, offerWeight);
      push(index.byRole, 'offer|*', i, offerWeight);
    }
    push(index.byPrimary, `request|${p.role}|${primary}`, i, requestWeight);
    for (const s of p.focus) push(index.byFocus, `request|${p.role}|${s}`, i, requestWeight);
    push(index.byRole, `request|${p.role}`, i, requestWeight);
  });
  return index;
}

/** Sector order to try: usually the family's main sector first. */
function sectorOrder(rng: Rng, family: TechFamily): Sector[] {
  const [main, ...rest] = family.sectors as readonly Sector[];
  if (main === undefined) return [];
  const others = shuffled(rng, rest);
  return chance(rng, 0.75) ? [main, ...others] : [...others, main];
}

function candidatesFor(index: OrgIndex, kind: ListingKind, role: string, sectors: readonly Sector[]): number[] | null {
  for (const map of [index.byPrimary, index.byFocus]) {
    for (const s of sectors) {
      const list = map.get(`${kind}|${role}|${s}`);
      if (list && list.length > 0) return list;
    }
  }
  const any = index.byRole.get(`${kind}|${role}`);
  return any && any.length > 0 ? any : null;
}

function pickOrganization(rng: Rng, family: TechFamily, kind: ListingKind, profiles: readonly OrganizationProfile[], index: OrgIndex): number {
  let chosen = -1;
  for (let attempt = 0; attempt < 4; attempt++) {
    const sectors = sectorOrder(rng, family);
    let pool: number[] | null = null;
    if (kind === 'offer') {
      pool = candidatesFor(index, 'offer', '*', sectors);
    } else {
      const prefs = ROLE_PREFERENCES[requesterCategory(family.requester)];
      const first = pickWeighted(rng, prefs);
      for (const role of [first, ...prefs.map(([r]) => r).filter((r) => r !== first), 'company', 'broker', 'collective', 'public', 'research'] as const) {
        pool = candidatesFor(index, 'request', role, sectors);
        if (pool) break;
      }
    }
    chosen = pick(rng, pool ?? index.all);
    const profile = profiles[chosen] as OrganizationProfile;
    if (!family.coastal || !profile.countryInfo.landlocked) return chosen;
  }
  return chosen;
}

// ---------------------------------------------------------------------------------------------
// Attribute distributions

const STAGE_WEIGHTS: Record<'offer0' | 'offer1' | 'offer2' | 'request', readonly (readonly [Stage, number])[]> = {
  offer0: [['concept', 25], ['under_development', 35], ['lab_tested', 25], ['available_for_demonstration', 12], ['on_the_market', 3]],
  offer1: [['concept', 8], ['under_development', 20], ['lab_tested', 27], ['available_for_demonstration', 30], ['on_the_market', 15]],
  offer2: [['concept', 3], ['under_development', 10], ['lab_tested', 17], ['available_for_demonstration', 35], ['on_the_market', 35]],
  request: [['concept', 2], ['under_development', 5], ['lab_tested', 13], ['available_for_demonstration', 35], ['on_the_market', 45]],
};

function drawIpr(rng: Rng, kind: ListingKind, type: OrganizationType, stage: Stage): IprStatus {
  if (kind === 'request') return chance(rng, 0.9) ? 'none' : 'secret_know_how';
  const base: Record<OrganizationType, readonly [number, number, number, number]> = {
    university: [10, 10, 40, 40],
    rnd_institution: [10, 10, 40, 40],
    sme: [20, 35, 20, 25],
    large_company: [20, 35, 20, 25],
    other: [25, 10, 30, 35],
  };
  const [none, secret, applied, granted] = base[type];
  const grantedFactor = stage === 'concept' ? 0.2 : stage === 'under_development' ? 0.6 : 1;
  return pickWeighted<IprStatus>(rng, [
    ['none', none],
    ['secret_know_how', secret],
    ['ipr_applied', applied],
    ['ipr_granted', granted * grantedFactor],
  ]);
}

const EUROPEAN = new Set(['DE', 'FR', 'NL', 'IT', 'ES', 'FI']);

function patentNumber(rng: Rng, code: string): string {
  switch (code) {
    case 'JP':
      return `JP ${digits(rng, 7)} B2`;
    case 'KR':
      return `KR 10-${digits(rng, 7)}`;
    case 'CN':
      return `CN ${digits(rng, 9)} B`;
    case 'US':
      return `US ${intBetween(rng, 10, 12)},${String(intBetween(rng, 0, 999)).padStart(3, '0')},${String(intBetween(rng, 0, 999)).padStart(3, '0')} B2`;
    case 'IN':
      return `IN ${digits(rng, 6)}`;
    case 'AU':
      return `AU ${intBetween(rng, 2015, 2023)}${String(intBetween(rng, 200000, 299999))}`;
    default:
      return EUROPEAN.has(code) ? `EP ${digits(rng, 7)} B1` : `${code} ${digits(rng, 7)}`;
  }
}

function iprNotesFor(rng: Rng, status: IprStatus, kind: ListingKind, anonymous: boolean, country: DemoCountry, targets: readonly string[]): string | null {
  const year = intBetween(rng, 2019, 2025);
  switch (status) {
    case 'ipr_granted': {
      if (anonymous) return chance(rng, 0.6) ? 'Granted patent; the number and claims are disclosed once an expression of interest is accepted.' : null;
      const main = patentNumber(rng, country.code);
      const office = EUROPEAN.has(country.code) ? 'European Patent Office' : country.patentOffice;
      const other = targets.find((t) => t !== country.code);
      const second = other && chance(rng, 0.35) ? ` Also granted in ${countryByCode(other).name}: ${patentNumber(rng, other)}.` : '';
      return `Patent ${main} granted in ${year} by the ${office}.${second}`;
    }
    case 'ipr_applied':
      if (!chance(rng, 0.7)) return null;
      return chance(rng, 0.5)
        ? `Patent application filed in ${year} with the ${EUROPEAN.has(country.code) ? 'European Patent Office' : country.patentOffice}; examination pending.`
        : `International (PCT) application filed in ${year}; national phase entries planned.`;
    case 'secret_know_how':
      if (kind === 'request') return null;
      return chance(rng, 0.6) ? 'Process parameters and formulations are kept as trade secrets and disclosed under a non-disclosure agreement.' : null;
    case 'none':
      if (kind === 'request') return chance(rng, 0.3) ? 'We have no IPR of our own and are open to licensing protected technology.' : null;
      return chance(rng, 0.3) ? 'No patent protection; the offer covers know-how, drawings and training.' : null;
  }
}

const PT_CODES: readonly PartnershipType[] = PARTNERSHIP_TYPES.map((p) => p.code);
const PT_LABEL: Record<PartnershipType, string> = Object.fromEntries(PARTNERSHIP_TYPES.map((p) => [p.code, p.label.toLowerCase()])) as Record<PartnershipType, string>;

const OFFER_PT_WEIGHTS: Record<OrganizationType, Partial<Record<PartnershipType, number>>> = {
  university: { licence: 4, research_cooperation: 4, technical_cooperation: 3, ip_sale_assignment: 0.7, investment_finance: 0.5, joint_venture: 0.5 },
  rnd_institution: { licence: 4, technical_cooperation: 3, research_cooperation: 3, commercial_agreement_with_technical_assistance: 1, ip_sale_assignment: 0.5, joint_venture: 0.5 },
  sme: { commercial_agreement_with_technical_assistance: 4, manufacturing_supply: 2, joint_venture: 2, licence: 2, investment_finance: 2, technical_cooperation: 1.5, research_cooperation: 0.5 },
  large_company: { commercial_agreement_with_technical_assistance: 3, joint_venture: 3, licence: 2, manufacturing_supply: 2, technical_cooperation: 1 },
  other: { licence: 3, technical_cooperation: 2, commercial_agreement_with_technical_assistance: 1.5, ip_sale_assignment: 1, investment_finance: 1 },
};
const REQUEST_PT_WEIGHTS: Partial<Record<PartnershipType, number>> = {
  commercial_agreement_with_technical_assistance: 4,
  technical_cooperation: 3,
  manufacturing_supply: 2,
  licence: 1.5,
  joint_venture: 1,
  investment_finance: 0.7,
  research_cooperation: 0.7,
};

function drawPartnerships(rng: Rng, kind: ListingKind, type: OrganizationType, ipr: IprStatus, maturity: 0 | 1 | 2): PartnershipType[] {
  const weights = kind === 'offer' ? OFFER_PT_WEIGHTS[type] : REQUEST_PT_WEIGHTS;
  const table: [PartnershipType, number][] = [];
  for (const code of PT_CODES) {
    let w = weights[code] ?? 0;
    if (kind === 'offer') {
      if (code === 'ip_sale_assignment' && ipr !== 'ipr_granted' && ipr !== 'ipr_applied') w = 0;
      if (code === 'licence' && ipr === 'none') w *= 0.4;
      if (code === 'research_cooperation' && maturity === 0) w *= 2;
    }
    if (w > 0) table.push([code, w]);
  }
  const n = pickWeighted(rng, [[1, 35], [2, 45], [3, 20]] as const);
  const out: PartnershipType[] = [];
  while (out.length < n && table.length > 0) {
    const code = pickWeighted(rng, table);
    out.push(code);
    table.splice(table.findIndex(([c]) => c === code), 1);
  }
  return out;
}



function drawTargets(rng: Rng, home: DemoCountry, kind: ListingKind): string[] {
  const n = pickWeighted(rng, [[1, 30], [2, 35], [3, 25], [4, 10]] as const);
  const out: string[] = [];
  if (chance(rng, kind === 'request' ? 0.4 : 0.25)) out.push(home.code);
  const neighbours = DEMO_COUNTRIES.filter((c) => c.subregion === home.subregion && c.code !== home.code).map((c) => c.code);
  const homeIsAp = !PARTNER_SET.has(home.code);
  for (let guard = 0; out.length < n && guard < 20; guard++) {
    const r = rng();
    let code: string;
    if (homeIsAp) code = r < 0.45 && neighbours.length > 0 ? pick(rng, neighbours) : r < 0.87 ? pick(rng, ASIA_PACIFIC_CODES) : pick(rng, PARTNER_CODES);
    else code = r < 0.8 ? pick(rng, ASIA_PACIFIC_CODES) : pick(rng, PARTNER_CODES);
    if (!out.includes(code)) out.push(code);
  }
  return out;
}

function drawSdgs(rng: Rng, family: TechFamily): number[] {
  const [first, ...rest] = family.sdgs;
  const set = new Set<number>();
  if (first !== undefined) set.add(first);
  for (const g of sample(rng, rest, intBetween(rng, 0, 2))) set.add(g);
  if (chance(rng, 0.1)) set.add(chance(rng, 0.5) ? 17 : 9);
  return [...set].filter((g) => Number.isInteger(g) && g >= 1 && g <= 17).sort((a, b) => a - b);
}

function drawKeywords(rng: Rng, family: TechFamily, ctx: Ctx): string[] {
  const picked = sample(rng, family.keywords, intBetween(rng, 5, 8));
  const fromVars = (family.kwVars ?? []).map((k) => ctx[k]).filter((v): v is string => typeof v === 'string' && v.length <= 60);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const kw of [...fromVars, ...picked]) {
    const key = kw.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(kw);
    if (out.length === 10) break;
  }
  return out;
}

const STATUS_WEIGHTS: readonly (readonly [DemoListingStatus, number])[] = [
  ['published', 80],
  ['submitted', 7],
  ['draft', 5],
  ['expired', 5],
  ['withdrawn', 3],
];

// ---------------------------------------------------------------------------------------------
// Prose

const STAGE_VERB: Record<Stage, string> = {
  concept: 'has designed',
  under_development: 'is developing',
  lab_tested: 'has developed',
  available_for_demonstration: 'has developed',
  on_the_market: 'has developed',
};

const STAGE_PARTICIPLE: Record<Stage, string> = {
  concept: 'designed by',
  under_development: 'being developed by',
  lab_tested: 'developed by',
  available_for_demonstration: 'developed by',
  on_the_market: 'developed and sold by',
};

const OFFER_STAGE_SENTENCES: Record<Stage, readonly string[]> = {
  concept: [
    'The concept is supported by modelling and small-scale experiments; a first bench prototype is planned for {nextYear}.',
    'The design has been worked out and simulated, and the team is looking for partners to build and test a first prototype.',
    'Preliminary calculations and laboratory observations support the concept, but no prototype has been built yet.',
  ],
  under_development: [
    'A first prototype is being built and tested in the laboratory; early results are in line with the design targets.',
    'Development is ongoing: the main components have been tested separately and an integrated prototype will be ready in {nextYear}.',
    'A laboratory prototype exists and is being improved on the basis of the first test runs.',
  ],
  lab_tested: [
    'The technology has been validated in the laboratory, where the performance figures above were measured; a field pilot is the next step.',
    'Laboratory and bench-scale tests confirmed the main performance figures, and validation under real operating conditions is being prepared.',
    'Results have been validated at laboratory scale and published in a peer-reviewed journal; a pilot in a relevant environment is planned.',
  ],
  available_for_demonstration: [
    'A pilot unit has been operating at a partner site near {place} since {year} and can be visited.',
    'Demonstration units have run under real conditions for more than {months} months, and operating data are available on request.',
    'A full-scale prototype has been demonstrated in an operational environment in {country}, and partners are welcome to see it working.',
  ],
  on_the_market: [
    'The technology is on the market, with {n} units installed in {country} and neighbouring countries.',
    'It has been sold commercially since {year}, and more than {n} customers use it today.',
    'The product is commercially available and has been in operation at {n} sites for up to {years} years.',
  ],
};

const REQUEST_STAGE_SENTENCES: Record<Stage, string> = {
  concept: 'We are open to an early-stage idea if a research partner can develop it with us.',
  under_development: 'A technology still under development is acceptable if the partner can pilot it with us.',
  lab_tested: 'A technology validated in the laboratory is acceptable if the partner can run a field pilot with us.',
  available_for_demonstration: 'The solution should at least have been demonstrated under real operating conditions.',
  on_the_market: 'We are looking for a proven, commercially available solution.',
};

const OFFER_PT_PHRASE: Record<PartnershipType, string> = {
  licence: 'licensees to manufacture and sell the technology',
  technical_cooperation: 'partners for technical cooperation to adapt it to local conditions',
  commercial_agreement_with_technical_assistance: 'distributors or end users under a commercial agreement with technical assistance',
  joint_venture: 'a joint-venture partner for local production',
  research_cooperation: 'research partners to develop the next version',
  investment_finance: 'investors to finance the scale-up',
  manufacturing_supply: 'manufacturing partners to produce under contract',
  ip_sale_assignment: 'a buyer for the patent rights',
};

const REQUEST_PT_PHRASE: Record<PartnershipType, string> = {
  licence: 'a licence to produce the technology ourselves',
  technical_cooperation: 'technical cooperation with an experienced provider',
  commercial_agreement_with_technical_assistance: 'buying equipment with installation, training and after-sales support',
  joint_venture: 'a joint venture with a technology provider',
  research_cooperation: 'research cooperation to adapt a solution to our conditions',
  investment_finance: 'investment or financing partners',
  manufacturing_supply: 'a manufacturer able to supply to our specification',
  ip_sale_assignment: 'buying the rights to a suitable technology',
};

const USERS_SENTENCES = ['Typical users are {users}.', 'The technology is aimed at {users}.', 'It is well suited to {users}.'];

const IP_SENTENCES: Record<IprStatus, readonly string[]> = {
  ipr_granted: ['The technology is protected by a granted patent.', 'A patent has been granted for the core design.'],
  ipr_applied: ['A patent application has been filed.', 'Patent protection has been applied for.'],
  secret_know_how: ['Key know-how is kept confidential and will be transferred under a licence or cooperation agreement.'],
  none: ['The design is not patented; the offer covers know-how, drawings and training.', ''],
};

const EXTRA_ADVANTAGES = [
  'Most components can be sourced and assembled locally, which keeps spare parts available.',
  'Operators can be trained in less than a week.',
  'Documentation for transfer is ready: drawings, bills of materials and operating manuals in English.',
  'The provider supports partners through the first year of operation.',
];

const BUDGET_SENTENCES = [
  'Our budget is around USD {budget}.',
  'We can invest up to about USD {budget} and could apply for a green-credit loan for the rest.',
  'The budget available is about USD {budget}, including installation and training.',
  'Budget: roughly USD {budget}; co-financing from a development programme is possible.',
];

const REQUEST_CONSTRAINTS = [
  'Spare parts and service must be available in {country}.',
  'The solution has to be operated by our own staff after short training.',
  'Our power supply is unreliable, with frequent cuts.',
  'We would like to start a pilot within {months} months.',
  'Payment in instalments or leasing would help us a lot.',
  'We have no engineers in-house, so the partner should take care of design and commissioning.',
];

const SPEC_EXTRAS = [
  'The supplier should provide installation, operator training and at least two years of after-sales support.',
  'Documentation in English is acceptable; material in the local language is a plus.',
  'Preference for designs that can be partly fabricated or assembled in {country}.',
  'References from comparable installations in a similar climate are appreciated.',
  'A site visit before the quotation is welcome.',
];

const OFFER_SUBJECTS: Record<Exclude<OrganizationType, 'other'>, Record<string, readonly string[]>> = {
  sme: {
    size_1_10: ['start-up', 'technology start-up', 'small company'],
    size_11_49: ['SME', 'small technology company'],
    size_50_249: ['medium-sized company', 'SME'],
    none: ['SME'],
  },
  large_company: { none: ['large company', 'industrial group', 'manufacturing group'] },
  university: { none: ['university research group', 'university laboratory'] },
  rnd_institution: { none: ['research institute'] },
};

const SUBJECT_SHORT: Record<OrganizationType, string> = {
  sme: 'The company',
  large_company: 'The company',
  university: 'The research group',
  rnd_institution: 'The institute',
  other: 'The technology owner',
};

/** How an organisation that posts for someone else relates to that someone. */
const RELATION_BY_KIND: Record<string, string> = {
  'business association': 'a member',
  'chamber of commerce': 'a member',
  'technology business incubator': 'a client',
  'technology transfer office': 'a client',
};

function offerSubject(rng: Rng, p: OrganizationProfile): string {
  const { type, size } = p.organization;
  if (type === 'other') return `${p.countryInfo.adj} ${p.kindLabel}`;
  if (type === 'rnd_institution') return `${p.countryInfo.adj} ${p.kindLabel}`;
  const table = OFFER_SUBJECTS[type];
  const options = table[size ?? 'none'] ?? table.none ?? ['organisation'];
  return `${p.countryInfo.adj} ${pick(rng, options)}`;
}

interface RequestVoice {
  /** First sentence of the description. */
  intro: string;
  /** Subject for the summary ("A Thai rice mill in Khon Kaen"). */
  who: string;
}

/**
 * Who speaks in a request. When the organisation is itself the kind of body that has the need (a
 * company with a company's need, a cooperative with a cooperative's, a local government with a
 * public need) it speaks in the first person; otherwise it posts on behalf of a member, client or
 * partner.
 */
function requestVoice(p: OrganizationProfile, requester: string, anonymous: boolean): RequestVoice {
  const org = p.organization;
  const adj = p.countryInfo.adj;
  const place = p.place;
  const where = anonymous ? '' : ` in ${place}`;
  const category = requesterCategory(requester);
  const staff = p.employees && org.type !== 'large_company' ? ` with about ${p.employees} staff` : '';
  const own = withArticle(`${org.size === 'size_1_10' && p.role === 'company' ? 'small ' : ''}${adj} ${requester}`);

  if (p.role === 'public' && category === 'public') {
    if (anonymous) return { intro: `We are ${withArticle(`${adj} ${requester}`)}.`, who: capitalize(withArticle(`${adj} ${requester}`)) };
    return { intro: `We are the ${requester} of ${place}, ${p.countryInfo.name}.`, who: `The ${requester} of ${place}` };
  }
  if ((p.role === 'company' && category === 'company') || (p.role === 'collective' && category === 'collective')) {
    if (org.type === 'large_company') {
      return { intro: `We are a large ${adj} ${requester} with operations across ${p.countryInfo.name}.`, who: capitalize(withArticle(`${adj} ${requester}`)) };
    }
    return { intro: `We are ${own}${where}${staff}.`, who: `${capitalize(withArticle(`${adj} ${requester}`))}${where}` };
  }
  const poster =
    p.role === 'company' ? (org.type === 'large_company' ? 'company' : 'SME')
    : p.role === 'public' ? 'local government'
    : p.kindLabel;
  const relation = RELATION_BY_KIND[p.kindLabel] ?? (category === 'public' || p.role === 'public' ? 'a local' : 'a partner');
  const lead = withArticle(`${adj} ${poster}`);
  return {
    intro: `This request is posted by ${lead}${where} on behalf of ${relation} ${requester}.`,
    who: `${capitalize(lead)}${where}, on behalf of ${relation} ${requester},`,
  };
}

function countryNames(codes: readonly string[]): string {
  return joinList(codes.slice(0, 4).map((c) => countryByCode(c).name));
}

// ---------------------------------------------------------------------------------------------
// One listing

interface Draft {
  family: TechFamily;
  kind: ListingKind;
  anonymous: boolean;
  profile: OrganizationProfile;
  ctx: Ctx;
  title: string;
}

function drawVars(rng: Rng, family: TechFamily, profile: OrganizationProfile): Ctx {
  const ctx: Ctx = { country: profile.countryInfo.name, place: profile.place };
  for (const key of Object.keys(family.vars)) {
    const values = family.vars[key];
    if (values && values.length > 0) ctx[key] = pick(rng, values);
  }
  return ctx;
}

function drawTitle(rng: Rng, family: TechFamily, kind: ListingKind, ctx: Ctx, anonymous: boolean): string {
  const all = kind === 'offer' ? family.offerTitles : family.requestTitles;
  // Anonymous listings avoid titles that name the organisation's town.
  const discreet = anonymous ? all.filter((t) => !t.includes('{place}')) : all;
  const patterns = discreet.length > 0 ? discreet : all;
  return clamp(capitalize(fill(pick(rng, patterns), ctx)), TEXT_LIMITS.title);
}

/** Picks one of the summary variants at random, avoiding summaries already used (when `avoid` is given). */
function chooseSummary(rng: Rng, avoid: Set<string> | null, variants: readonly string[]): string {
  const start = intBetween(rng, 0, variants.length - 1);
  const first = clamp(variants[start] as string, TEXT_LIMITS.summary);
  if (!avoid) return first;
  for (let k = 0; k < variants.length; k++) {
    const candidate = clamp(variants[(start + k) % variants.length] as string, TEXT_LIMITS.summary);
    if (!avoid.has(candidate)) {
      avoid.add(candidate);
      return candidate;
    }
  }
  for (let n = 2; ; n++) {
    const candidate = clamp(`${first.replace(/\.$/, '')} (variant ${n}).`, TEXT_LIMITS.summary);
    if (!avoid.has(candidate)) {
      avoid.add(candidate);
      return candidate;
    }
  }
}

function buildListing(rng: Rng, draft: Draft, organizationIndex: number, avoid: Set<string> | null): DemoListing {
  const { family, kind, profile, ctx, anonymous } = draft;
  const org = profile.organization;
  const isOffer = kind === 'offer';

  const stageTable = isOffer ? STAGE_WEIGHTS[`offer${family.maturity}`] : STAGE_WEIGHTS.request;
  const stage = pickWeighted(rng, stageTable);
  const [trlMin, trlMax] = TRL_RANGE_BY_STAGE[stage];
  const trl = intBetween(rng, trlMin, trlMax);
  const iprStatus = drawIpr(rng, kind, org.type, stage);
  const targetCountries = drawTargets(rng, profile.countryInfo, kind);
  const iprNotes = iprNotesFor(rng, iprStatus, kind, anonymous, profile.countryInfo, targetCountries);
  const partnershipTypes = drawPartnerships(rng, kind, org.type, iprStatus, family.maturity);
  const sdgs = drawSdgs(rng, family);
  const keywords = drawKeywords(rng, family, ctx);

  const numbers: Ctx = {
    year: String(intBetween(rng, 2018, 2024)),
    nextYear: String(intBetween(rng, 2026, 2027)),
    months: String(pick(rng, [6, 9, 12, 18, 24])),
    n: String(intBetween(rng, 12, 400)),
    years: String(intBetween(rng, 2, 7)),
    budget: formatUsd(family.budget[0] + rng() * (family.budget[1] - family.budget[0])),
  };
  const c: Ctx = { ...ctx, ...numbers };
  c.users = fill(family.users, c);
  c.requester = fill(family.requester, c);
  c.what = fill(family.what, c);
  c.want = fill(family.want, c);

  let summary: string;
  let description: string;
  let advantages: string | null = null;
  let specificationSought: string | null = null;

  if (isOffer) {
    const subject = offerSubject(rng, profile);
    const Subj = capitalize(withArticle(subject));
    const subj = withArticle(subject);
    const verb = STAGE_VERB[stage];
    let intro: string;
    if (org.type === 'other') {
      const client = pick(rng, ['a member company', 'a university spin-off', 'a local start-up', 'an independent inventor']);
      intro = `${Subj}${anonymous ? '' : ` in ${c.place}`} presents this offer on behalf of ${client}, which ${verb} ${c.what}.`;
    } else if (anonymous) {
      intro = `${Subj} ${verb} ${c.what}.`;
    } else {
      intro = pick(rng, [
        `${Subj} based in ${c.place} ${verb} ${c.what}.`,
        `${Subj} ${verb} ${c.what}.`,
        `This offer comes from ${subj} in ${c.place}, which ${verb} ${c.what}.`,
      ]);
    }
    const technical = fill(family.offer, c);
    const stageText = fill(pick(rng, OFFER_STAGE_SENTENCES[stage]), c);
    const usersText = fill(pick(rng, USERS_SENTENCES), c);
    const ipText = pick(rng, IP_SENTENCES[iprStatus]);
    const ptText = `${SUBJECT_SHORT[org.type]} is looking for ${joinList(partnershipTypes.map((p) => OFFER_PT_PHRASE[p]))}, preferably in ${countryNames(targetCountries)}.`;
    description = [intro, technical, stageText, usersText, ipText, ptText].filter((s) => s.length > 0).join(' ');

    const adv = fill(family.advantages, c);
    advantages = chance(rng, 0.5) ? `${adv} ${pick(rng, EXTRA_ADVANTAGES)}` : adv;

    const advFirst = firstSentence(adv);
    summary = chooseSummary(rng, avoid, [
      `${Subj} offers ${c.what}. ${advFirst}`,
      `${capitalize(c.what)}, ${STAGE_PARTICIPLE[stage]} ${subj}. ${advFirst}`,
      `${capitalize(c.what)}. ${advFirst} Sought: ${joinList(partnershipTypes.map((p) => PT_LABEL[p]))}.`,
    ]);
  } else {
    const requester = c.requester ?? 'company';
    const { intro, who } = requestVoice(profile, requester, anonymous);
    const need = fill(family.need, c);
    const stageText = REQUEST_STAGE_SENTENCES[stage];
    const budgetText = fill(pick(rng, BUDGET_SENTENCES), c);
    const constraints = sample(rng, REQUEST_CONSTRAINTS, intBetween(rng, 1, 2)).map((t) => fill(t, c)).join(' ');
    const phrases = joinList(partnershipTypes.map((p) => REQUEST_PT_PHRASE[p]));
    const ptText = pick(rng, [`We are open to ${phrases}.`, `We would consider ${phrases}.`, `Preferred forms of cooperation: ${phrases}.`]);
    const origin = chance(rng, 0.5) ? ` Providers from ${countryNames(targetCountries)} are especially welcome.` : '';
    description = [intro, need, stageText, budgetText, constraints, ptText + origin].join(' ');

    const spec = fill(family.spec, c);
    const extras = sample(rng, SPEC_EXTRAS, intBetween(rng, 0, 2)).map((t) => fill(t, c));
    specificationSought = [spec, ...extras].join(' ');

    summary = chooseSummary(rng, avoid, [
      `${who} is looking for ${c.want}. ${firstSentence(spec)}`,
      `Wanted: ${c.want}. ${firstSentence(need)} Budget around USD ${c.budget}.`,
      `${who} seeks ${c.want}. Budget around USD ${c.budget}; preferred: ${joinList(partnershipTypes.map((p) => PT_LABEL[p]))}.`,
    ]);
  }

  const status = pickWeighted(rng, STATUS_WEIGHTS);
  const publishedDaysAgo = status === 'published' ? intBetween(rng, 0, 365) : status === 'expired' ? intBetween(rng, 366, 400) : null;

  return {
    organizationIndex,
    kind,
    title: draft.title,
    summary: clamp(summary, TEXT_LIMITS.summary),
    description: clamp(description, TEXT_LIMITS.description),
    advantages: advantages === null ? null : clamp(advantages, TEXT_LIMITS.advantages),
    specificationSought: specificationSought === null ? null : clamp(specificationSought, TEXT_LIMITS.specificationSought),
    sectors: [...family.sectors],
    keywords,
    stage,
    trl,
    iprStatus,
    iprNotes,
    partnershipTypes,
    targetCountries,
    sdgs,
    anonymous,
    status,
    publishedDaysAgo,
  };
}

function* listingStream(profiles: readonly OrganizationProfile[], count: number, seed: number): Generator<DemoListing> {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('listing count must be a non-negative integer');
  if (profiles.length === 0) throw new RangeError('at least one organisation is needed');
  const rng = mulberry32(deriveSeed(seed, 'listings'));
  const index = buildOrgIndex(profiles);
  const familyCount = TECH_FAMILIES.length;
  const familyIds = TECH_FAMILIES.map((_, i) => i);
  const seenTitles = new Set<string>();
  const seenSummaries = new Set<string>();
  let order: number[] = [];

  for (let i = 0; i < count; i++) {
    // Every round visits each family once, in a fresh random order, so consecutive listings differ.
    if (i % familyCount === 0) order = shuffled(rng, familyIds);
    const family = TECH_FAMILIES[order[i % familyCount] as number] as TechFamily;
    const kind: ListingKind = chance(rng, 0.45) ? 'request' : 'offer';
    const orgIndex = pickOrganization(rng, family, kind, profiles, index);
    const profile = profiles[orgIndex] as OrganizationProfile;

    const anonymous = chance(rng, 0.15);
    let ctx = drawVars(rng, family, profile);
    let title = drawTitle(rng, family, kind, ctx, anonymous);
    if (i < TITLE_DEDUPE_LIMIT) {
      for (let attempt = 0; attempt < 8 && seenTitles.has(title); attempt++) {
        ctx = drawVars(rng, family, profile);
        title = drawTitle(rng, family, kind, ctx, anonymous);
      }
      if (seenTitles.has(title)) {
        const base = clamp(`${title} (${anonymous ? profile.countryInfo.name : profile.place})`, TEXT_LIMITS.title);
        title = base;
        for (let n = 2; seenTitles.has(title); n++) title = clamp(`${base} ${n}`, TEXT_LIMITS.title);
      }
      seenTitles.add(title);
    }
    yield buildListing(rng, { family, kind, anonymous, profile, ctx, title }, orgIndex, i < TITLE_DEDUPE_LIMIT ? seenSummaries : null);
  }
}

function defaultOrganizationCount(listings: number): number {
  return Math.max(12, Math.min(5000, Math.round(listings / 5)));
}

/** Organisations and listings for a demo database (or a benchmark, if you can hold it in memory). */
export function generateDemoData(options: { listings: number; organizations?: number; seed?: number }): {
  organizations: DemoOrganization[];
  listings: DemoListing[];
} {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const orgCount = options.organizations ?? defaultOrganizationCount(options.listings);
  const profiles = generateOrganizationProfiles(orgCount, seed);
  return {
    organizations: profiles.map((p) => p.organization),
    listings: Array.from(listingStream(profiles, options.listings, seed)),
  };
}

/**
 * Streams `count` listings for `organizationCount` organisations. Yields exactly the listings that
 * generateDemoData({ listings: count, organizations: organizationCount, seed }) returns, one at a
 * time; get the organisations from generateDemoData({ listings: 0, organizations, seed }).
 */
export function* generateListings(options: { count: number; organizationCount: number; seed?: number }): Generator<DemoListing> {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const profiles = generateOrganizationProfiles(options.organizationCount, seed);
  yield* listingStream(profiles, options.count, seed);
}
