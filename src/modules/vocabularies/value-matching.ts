import { COUNTRIES } from './countries.js';
import { IPR_STATUSES, LISTING_KINDS, ORGANIZATION_SIZES, ORGANIZATION_TYPES, PARTNERSHIP_TYPES, SECTORS, STAGES } from './enums.js';

// Free-text values from other systems' spreadsheets mapped onto the controlled lists. A value equal
// to a code or a label (ignoring case, accents and punctuation) maps exactly; one recognised by a
// synonym maps as a guess, which imports report so a person can check it.

export type Match<T> = { code: T; guessed: boolean } | null;

/** Lower case, no accents, punctuation as single spaces: "Lab-tested " → "lab tested". */
export function normalizeWords(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

type Synonyms<T> = readonly (readonly [RegExp, T])[];

function matcher<T extends string>(entries: readonly { code: T; label: string }[], synonyms: Synonyms<T>) {
  const exact = new Map<string, T>();
  for (const { code, label } of entries) {
    exact.set(normalizeWords(code), code);
    exact.set(normalizeWords(label), code);
  }
  return (value: string): Match<T> => {
    const words = normalizeWords(value);
    if (!words) return null;
    const code = exact.get(words);
    if (code) return { code, guessed: false };
    for (const [pattern, synonym] of synonyms) if (pattern.test(words)) return { code: synonym, guessed: true };
    return null;
  };
}

export const matchSector = matcher(SECTORS, [
  [/\bbio ?(energy|fuel|gas|mass)|biogas|biodiesel/, 'bio_energy'],
  [/energy (efficiency|storage|saving)|batter(y|ies)|storage/, 'energy_efficiency'],
  [/renewable|solar|wind|clean energy|photovoltaic|\bpv\b|hydro ?power|geothermal|energy/, 'renewable_energy'],
  [/agri|food|farm|crop|livestock|fisher|aquacult|post harvest/, 'agriculture_food'],
  [/water|sanitation|wastewater|irrigation/, 'water'],
  [/climate|carbon|emission|adaptation/, 'climate_change'],
  [/circular|recycl|waste|bcg|bio circular/, 'circular_economy'],
  [/health|medic|pharma|pandemic|covid|diagnos|biotech/, 'health'],
  [/\bict\b|digital|\biot\b|internet of things|\bai\b|artificial intelligence|software|information tech|telecom|4ir/, 'ict_digital'],
  [/robot|automation|drone/, 'robotics_automation'],
  [/ocean|marine|maritime|blue economy|sea/, 'ocean_economy'],
  [/manufactur|material|textile|chemic|industr/, 'manufacturing_materials'],
  [/environment|pollution|air quality/, 'environment'],
  [/transport|mobility|vehicle|logistic|electric car|\bev\b/, 'transport_mobility'],
  [/construction|housing|building/, 'construction_housing'],
]);

export const matchStage = matcher(STAGES, [
  [/idea|concept|research|early/, 'concept'],
  [/develop|prototype|design|in progress|ongoing/, 'under_development'],
  [/lab|laboratory|tested|validated/, 'lab_tested'],
  [/demonstrat|pilot|field test|trial/, 'available_for_demonstration'],
  [/market|commerciali|sale|on sale|available|product|mature|deployed/, 'on_the_market'],
]);

export const matchIprStatus = matcher(IPR_STATUSES, [
  [/^(no|n|nil|none|not applicable|n a|na|no ip|no patent|public domain|open source)$/, 'none'],
  [/secret|know how|knowhow|confidential/, 'secret_know_how'],
  [/pending|applied|filed|application|submitted/, 'ipr_applied'],
  [/granted|patented|patent|registered|protected|copyright|trademark/, 'ipr_granted'],
]);

export const matchPartnershipType = matcher(PARTNERSHIP_TYPES, [
  [/licen[cs]|licensing/, 'licence'],
  [/joint venture|\bjv\b/, 'joint_venture'],
  [/commercial/, 'commercial_agreement_with_technical_assistance'],
  [/research|r d|academic/, 'research_cooperation'],
  [/technical|tech coop|cooperation|collaboration|co operation/, 'technical_cooperation'],
  [/invest|financ|funding|capital/, 'investment_finance'],
  [/manufactur|supply|supplier|production|distribut/, 'manufacturing_supply'],
  [/sale|sell|assign|acquisition|transfer of ip|ip transfer/, 'ip_sale_assignment'],
]);

export const matchOrganizationType = matcher(ORGANIZATION_TYPES, [
  [/\bsme\b|small|medium|start ?up|micro/, 'sme'],
  [/large|corporat|multinational|enterprise/, 'large_company'],
  [/r ?d|research|institute|laborator|centre|center/, 'rnd_institution'],
  [/universit|college|academ|school/, 'university'],
  [/company|firm|business|ltd|inc/, 'sme'],
  [/.+/, 'other'],
]);

export const matchOrganizationSize = matcher(ORGANIZATION_SIZES, [
  [/^(1 10|0 10|1 9|micro|up to 10|less than 10|under 10)$/, 'size_1_10'],
  [/^(11 49|10 49|11 50|10 50|small)$/, 'size_11_49'],
  [/^(50 249|50 250|51 250|medium)$/, 'size_50_249'],
  [/^(250|250 plus|more than 250|over 250|250 or more|large|1000|500)/, 'size_250_plus'],
]);

const KIND_SYNONYMS: Synonyms<'offer' | 'request'> = [
  [/^(to|technology offer|offer of technology|offering|supply|provider|bo|business offer)$|offer/, 'offer'],
  [/^(tr|technology request|demand|need|br|business request|wanted)$|request|demand|seek/, 'request'],
];

export function matchKind(value: string): Match<'offer' | 'request'> {
  const words = normalizeWords(value);
  if ((LISTING_KINDS as readonly string[]).includes(words)) return { code: words as 'offer' | 'request', guessed: false };
  for (const [pattern, kind] of KIND_SYNONYMS) if (pattern.test(words)) return { code: kind, guessed: true };
  return null;
}

const COUNTRY_EXACT = new Map<string, string>();
for (const { code, name } of COUNTRIES) {
  COUNTRY_EXACT.set(normalizeWords(code), code);
  COUNTRY_EXACT.set(normalizeWords(name), code);
  // "Korea, Republic of" is also written "Republic of Korea".
  const comma = name.indexOf(', ');
  if (comma > 0) COUNTRY_EXACT.set(normalizeWords(`${name.slice(comma + 2)} ${name.slice(0, comma)}`), code);
}

const COUNTRY_ALIASES: Record<string, string> = {
  vietnam: 'VN',
  'south korea': 'KR',
  korea: 'KR',
  'north korea': 'KP',
  laos: 'LA',
  lao: 'LA',
  'lao pdr': 'LA',
  iran: 'IR',
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  usa: 'US',
  'u s a': 'US',
  'united states of america': 'US',
  america: 'US',
  russia: 'RU',
  turkey: 'TR',
  taiwan: 'TW',
  brunei: 'BN',
  'east timor': 'TL',
  burma: 'MM',
  'czech republic': 'CZ',
  bolivia: 'BO',
  venezuela: 'VE',
  tanzania: 'TZ',
  syria: 'SY',
  moldova: 'MD',
  micronesia: 'FM',
  palestine: 'PS',
  'ivory coast': 'CI',
  uae: 'AE',
  emirates: 'AE',
  holland: 'NL',
  prc: 'CN',
  "people s republic of china": 'CN',
  'mainland china': 'CN',
  macau: 'MO',
};

/** A country name, alias or ISO 3166-1 alpha-2 code → the code. */
export function matchCountry(value: string): Match<string> {
  const words = normalizeWords(value);
  if (!words) return null;
  const exact = COUNTRY_EXACT.get(words);
  if (exact) return { code: exact, guessed: false };
  const alias = COUNTRY_ALIASES[words];
  if (alias) return { code: alias, guessed: true };
  // A unique name starting with the words ("Iran" for "Iran, Islamic Republic of").
  const candidates = words.length >= 4 ? COUNTRIES.filter((country) => normalizeWords(country.name).startsWith(words)) : [];
  return candidates.length === 1 ? { code: candidates[0]!.code, guessed: true } : null;
}

/** "TRL 7", "7 - prototype in operational environment", "7" → 7. */
export function matchTrl(value: string): Match<number> {
  const trimmed = value.trim();
  if (/^[1-9]$/.test(trimmed)) return { code: Number(trimmed), guessed: false };
  const found = /^(?:trl\s*[:-]?\s*)?([1-9])(?!\d)/i.exec(trimmed);
  return found ? { code: Number(found[1]), guessed: true } : null;
}

/** "SDG 2", "2", "Goal 7: affordable and clean energy" → the SDG number. */
export function matchSdg(value: string): Match<number> {
  const trimmed = value.trim();
  if (/^([1-9]|1[0-7])$/.test(trimmed)) return { code: Number(trimmed), guessed: false };
  const found = /^(?:sdg|goal)?\s*[:#-]?\s*(1[0-7]|[1-9])(?!\d)/i.exec(trimmed);
  return found ? { code: Number(found[1]), guessed: true } : null;
}

export function matchBoolean(value: string): Match<boolean> {
  const words = normalizeWords(value);
  if (['true', 'false'].includes(words)) return { code: words === 'true', guessed: false };
  if (['yes', 'y', '1', 'x', 'oui', 'ja', 'anonymous', 'confidential'].includes(words)) return { code: true, guessed: true };
  if (['no', 'n', '0', '', 'non', 'nein', 'public'].includes(words)) return { code: false, guessed: true };
  return null;
}

/** The TRL a stage usually means, when a file gives a stage but no TRL. */
export const TYPICAL_TRL_OF_STAGE: Record<(typeof STAGES)[number]['code'], number> = {
  concept: 2,
  under_development: 4,
  lab_tested: 5,
  available_for_demonstration: 7,
  on_the_market: 9,
};
