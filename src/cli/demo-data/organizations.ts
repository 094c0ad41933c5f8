// Deterministic demo organisations: companies, universities, R&D institutes and intermediaries
// with names that follow each country's conventions, on reserved (example) domains.

import { SECTORS } from '../../modules/vocabularies/enums.js';
import type { OrganizationSize, OrganizationType, Sector } from '../../modules/vocabularies/enums.js';
import { DEMO_COUNTRIES, type DemoCountry } from './countries.js';
import { chance, deriveSeed, intBetween, mulberry32, pick, pickWeighted, sample, shuffled, type Rng } from './prng.js';
import type { DemoOrganization } from './types.js';

/**
 * The part an organisation plays: providers of technology (companies, research), intermediaries
 * posting for members or clients (brokers), collective bodies (cooperatives, foundations) and
 * public bodies (local governments and their departments).
 */
export type OrganizationRole = 'company' | 'research' | 'broker' | 'collective' | 'public';

/** What the listing generator needs to know about an organisation beyond its public record. */
export interface OrganizationProfile {
  role: OrganizationRole;
  organization: DemoOrganization;
  countryInfo: DemoCountry;
  /** City or town where the organisation is based. */
  place: string;
  /** 1–3 sectors it works in, the first is the main one. */
  focus: Sector[];
  /** What kind of body it is ("business association", "research institute", "SME"). */
  kindLabel: string;
  employees: number | null;
}

const SECTOR_CODES: readonly Sector[] = SECTORS.map((s) => s.code);

const COMPANY_DOMAINS: Record<Sector, readonly string[]> = {
  renewable_energy: ['Solar Solutions', 'Renewables', 'Clean Energy', 'Solar Power', 'Hydro Systems', 'Wind Systems'],
  bio_energy: ['Bioenergy', 'Biomass Energy', 'Biogas Solutions', 'Green Fuels'],
  energy_efficiency: ['Energy Systems', 'Power Electronics', 'Energy Services', 'Battery Systems'],
  agriculture_food: ['Agri-Tech', 'Agro Industries', 'Food Technologies', 'Farm Solutions', 'Agro Products', 'Post-Harvest Solutions'],
  water: ['Water Technologies', 'Aqua Systems', 'Water Solutions', 'Filtration Systems'],
  climate_change: ['Climate Solutions', 'Resilience Technologies', 'Carbon Services', 'Geo-Informatics'],
  circular_economy: ['Recycling', 'Circular Materials', 'Resource Recovery', 'Bio-Materials'],
  health: ['Medical Devices', 'Diagnostics', 'Life Sciences', 'Health Technologies', 'Biomedical'],
  ict_digital: ['Digital', 'Analytics', 'IoT Solutions', 'Software', 'AI Labs'],
  robotics_automation: ['Robotics', 'Automation', 'Mechatronics', 'Machine Works'],
  ocean_economy: ['Marine Products', 'Aquaculture', 'Blue Economy Solutions', 'Seafood Technologies', 'Marine Engineering'],
  manufacturing_materials: ['Materials', 'Engineering', 'Industries', 'Advanced Materials', 'Precision Engineering'],
  environment: ['Environmental Services', 'Enviro-Tech', 'Environmental Engineering', 'Clean Air Technologies'],
  transport_mobility: ['E-Mobility', 'Motors', 'Mobility Solutions', 'Electric Vehicles'],
  construction_housing: ['Building Materials', 'Construction Technologies', 'Housing Solutions', 'Green Building'],
};

const RESEARCH_FIELDS: Record<Sector, readonly string[]> = {
  renewable_energy: ['Renewable Energy', 'Solar Energy'],
  bio_energy: ['Bioenergy', 'Biomass Conversion'],
  energy_efficiency: ['Energy Efficiency', 'Energy Storage'],
  agriculture_food: ['Agricultural Engineering', 'Food Technology', 'Post-Harvest Technology', 'Crop Science'],
  water: ['Water Resources', 'Water and Sanitation'],
  climate_change: ['Climate Adaptation', 'Disaster Risk Reduction', 'Earth Observation'],
  circular_economy: ['Waste and Resource Recovery', 'Circular Economy', 'Bio-based Materials'],
  health: ['Biomedical Technology', 'Public Health', 'Medical Devices', 'Vaccines and Diagnostics'],
  ict_digital: ['Digital Technologies', 'Artificial Intelligence', 'Information and Communication Technology'],
  robotics_automation: ['Robotics', 'Industrial Automation'],
  ocean_economy: ['Marine Science', 'Fisheries Technology', 'Aquaculture'],
  manufacturing_materials: ['Advanced Materials', 'Industrial Technology', 'Polymer Science'],
  environment: ['Environmental Technology', 'Pollution Control'],
  transport_mobility: ['Sustainable Mobility', 'Automotive Technology'],
  construction_housing: ['Building Technology', 'Construction Materials'],
};

const DEPARTMENTS: Record<Sector, readonly string[]> = {
  renewable_energy: ['School of Renewable Energy', 'Department of Electrical Engineering'],
  bio_energy: ['Department of Chemical Engineering', 'Bioenergy Research Unit'],
  energy_efficiency: ['Department of Electrical Engineering', 'Energy Technology Laboratory'],
  agriculture_food: ['Faculty of Agro-Industry', 'Department of Food Science and Technology', 'Faculty of Agriculture', 'Department of Agricultural Engineering'],
  water: ['Department of Civil and Environmental Engineering', 'Water Engineering Laboratory'],
  climate_change: ['Climate Change Research Unit', 'Department of Geography and Environment'],
  circular_economy: ['Department of Materials Science', 'Waste Management Research Group'],
  health: ['Faculty of Medicine', 'Faculty of Pharmacy', 'Department of Biomedical Engineering', 'Faculty of Medical Technology'],
  ict_digital: ['Department of Computer Science', 'School of Information Technology', 'AI Research Laboratory'],
  robotics_automation: ['Department of Mechatronics', 'Robotics Laboratory', 'Institute of Field Robotics'],
  ocean_economy: ['Faculty of Fisheries', 'Institute of Marine Science', 'Department of Aquaculture'],
  manufacturing_materials: ['Department of Materials Engineering', 'Department of Industrial Engineering'],
  environment: ['Department of Environmental Engineering', 'Environmental Research Institute'],
  transport_mobility: ['Department of Automotive Engineering', 'Transport Research Laboratory'],
  construction_housing: ['Department of Civil Engineering', 'School of Architecture'],
};

const ASSOCIATION_MEMBERS: Record<Sector, string> = {
  renewable_energy: 'Solar Industry',
  bio_energy: 'Biomass Energy',
  energy_efficiency: 'Energy Service Companies',
  agriculture_food: 'Food Processors',
  water: 'Water Utilities',
  climate_change: 'Climate Resilience',
  circular_economy: 'Recyclers',
  health: 'Medical Device Makers',
  ict_digital: 'Software and IoT Companies',
  robotics_automation: 'Automation Industry',
  ocean_economy: 'Seafood Processors',
  manufacturing_materials: 'Small Manufacturers',
  environment: 'Environmental Services',
  transport_mobility: 'Electric Vehicle',
  construction_housing: 'Building Contractors',
};

const COINED_HEADS = ['Green', 'Blue', 'Sun', 'Terra', 'Aqua', 'Nova', 'Eco', 'Lotus', 'Bamboo', 'Monsoon', 'Coral', 'Delta', 'Jade', 'Orchid', 'Summit', 'River', 'Harvest', 'Bright', 'Clear', 'Tide'];
const COINED_TAILS = ['leaf', 'wave', 'field', 'wind', 'stone', 'light', 'path', 'spring', 'grove', 'bay', 'peak', 'root'];

const SIZE_EMPLOYEES: Record<OrganizationSize, readonly [number, number]> = {
  size_1_10: [2, 10],
  size_11_49: [11, 49],
  size_50_249: [50, 249],
  size_250_plus: [250, 4000],
};

const TYPE_WEIGHTS: readonly (readonly [OrganizationType, number])[] = [
  ['sme', 42],
  ['large_company', 9],
  ['university', 16],
  ['rnd_institution', 15],
  ['other', 18],
];

type OtherKind = 'local_government' | 'cooperative' | 'foundation' | 'association' | 'chamber' | 'incubator' | 'tto';
const OTHER_KIND_WEIGHTS: readonly (readonly [OtherKind, number])[] = [
  ['local_government', 30],
  ['cooperative', 25],
  ['foundation', 10],
  ['association', 15],
  ['chamber', 8],
  ['incubator', 6],
  ['tto', 6],
];

/** The first organisations cover every type and size, so even a small demo shows them all. */
const FORCED: readonly (readonly [OrganizationType, OrganizationSize | null, OtherKind | null])[] = [
  ['sme', 'size_1_10', null],
  ['university', 'size_250_plus', null],
  ['sme', 'size_11_49', null],
  ['rnd_institution', 'size_50_249', null],
  ['other', null, 'local_government'],
  ['large_company', 'size_250_plus', null],
  ['sme', 'size_50_249', null],
  ['other', 'size_1_10', 'cooperative'],
  ['other', null, 'association'],
];

const PARTNER_SUBREGIONS = new Set(['europe', 'americas', 'africa']);
const COUNTRY_TABLE = DEMO_COUNTRIES.map((c) => [c.code, c.weight] as const);
const COUNTRY_BY_CODE = new Map(DEMO_COUNTRIES.map((c) => [c.code, c] as const));

function drawSize(rng: Rng, type: OrganizationType): OrganizationSize | null {
  switch (type) {
    case 'sme':
      return pickWeighted<OrganizationSize>(rng, [['size_1_10', 40], ['size_11_49', 40], ['size_50_249', 20]]);
    case 'large_company':
      return 'size_250_plus';
    case 'university':
      return chance(rng, 0.75) ? 'size_250_plus' : null;
    case 'rnd_institution': {
      const s = pickWeighted<OrganizationSize | 'none'>(rng, [['size_50_249', 45], ['size_250_plus', 35], ['none', 20]]);
      return s === 'none' ? null : s;
    }
    case 'other': {
      const s = pickWeighted<OrganizationSize | 'none'>(rng, [['none', 40], ['size_1_10', 25], ['size_11_49', 25], ['size_50_249', 10]]);
      return s === 'none' ? null : s;
    }
  }
}

function coined(rng: Rng): string {
  return pick(rng, COINED_HEADS) + pick(rng, COINED_TAILS);
}

interface NameParts {
  name: string;
  /** The distinctive part used for the web domain. */
  core: string;
  kindLabel: string;
}

function companyName(rng: Rng, c: DemoCountry, place: string, sector: Sector, large: boolean): NameParts {
  const domain = pick(rng, COMPANY_DOMAINS[sector]);
  const head = chance(rng, 0.55) ? pick(rng, c.prefixes) : chance(rng, 0.5) ? coined(rng) : place;
  let suffix = large ? c.largeSuffix : pick(rng, c.smeSuffix);
  let words = large && chance(rng, 0.5) ? `${head} ${domain} Group` : `${head} ${domain}`;
  if (large && words.endsWith('Group') && suffix === 'Group') suffix = '';
  if (c.companyPrefix) {
    words = `${c.companyPrefix} ${words}${chance(rng, 0.4) ? ' Indonesia' : ''}`;
  }
  const name = suffix ? `${words} ${suffix}` : words;
  return { name, core: `${head} ${domain}`, kindLabel: large ? 'company' : 'SME' };
}

function universityName(rng: Rng, place: string, sector: Sector): NameParts {
  const agriLike = sector === 'agriculture_food' || sector === 'ocean_economy';
  const base = pickWeighted<string>(rng, [
    [`${place} University`, 3],
    [`University of ${place}`, 2],
    [`${place} University of Technology`, 2],
    [`${place} Institute of Technology`, 1.5],
    [agriLike ? `${place} Agricultural University` : `${place} Polytechnic University`, 1],
  ]);
  if (chance(rng, 0.5)) {
    const dept = pick(rng, DEPARTMENTS[sector]);
    return { name: `${dept}, ${base}`, core: base, kindLabel: 'university' };
  }
  return { name: base, core: base, kindLabel: 'university' };
}

function researchName(rng: Rng, c: DemoCountry, place: string, sector: Sector): NameParts {
  const field = pick(rng, RESEARCH_FIELDS[sector]);
  const variant = intBetween(rng, 0, 3);
  if (variant === 0) return { name: `Centre for ${field} Research, ${place} Institute`, core: `${place} ${field}`, kindLabel: 'research institute' };
  if (variant === 1) return { name: `${place} ${field} Research Centre`, core: `${place} ${field}`, kindLabel: 'research centre' };
  if (variant === 2) return { name: `${c.adj} Institute of ${field}`, core: `${c.adj} ${field}`, kindLabel: 'national research institute' };
  return { name: `${field} Division, ${c.adj} Science and Technology Agency`, core: `${c.adj} STA ${field}`, kindLabel: 'public research agency' };
}

const COOP_MEMBERS: Partial<Record<Sector, string>> = {
  agriculture_food: 'Farmers\u2019 Cooperative',
  ocean_economy: 'Fishers\u2019 Cooperative',
  renewable_energy: 'Community Energy Cooperative',
  bio_energy: 'Community Energy Cooperative',
  water: 'Water Users\u2019 Cooperative',
  transport_mobility: 'Transport Cooperative',
  circular_economy: 'Recyclers\u2019 Cooperative',
};

function intermediaryName(rng: Rng, c: DemoCountry, place: string, sector: Sector, kind: OtherKind): NameParts {
  switch (kind) {
    case 'local_government': {
      const name = pick(rng, [`${place} City Council`, `${place} Municipality`, `${place} Provincial Administration`, `${place} District Office`]);
      return { name, core: name.replace(/ (City Council|Municipality|Provincial Administration|District Office)$/, ' Gov'), kindLabel: 'local government' };
    }
    case 'cooperative': {
      const members = COOP_MEMBERS[sector] ?? 'Producers\u2019 Cooperative';
      return { name: `${place} ${members}`, core: `${place} ${members.split(' ')[0]?.replace('\u2019', '') ?? ''} Coop`, kindLabel: 'cooperative' };
    }
    case 'foundation': {
      const head = coined(rng);
      return { name: `${head} Foundation for Sustainable Technology`, core: `${head} Foundation`, kindLabel: 'foundation' };
    }
    case 'association':
      return { name: `${c.adj} ${ASSOCIATION_MEMBERS[sector]} Association`, core: `${c.adj} ${ASSOCIATION_MEMBERS[sector]}`, kindLabel: 'business association' };
    case 'chamber':
      return { name: `${place} Chamber of Commerce and Industry`, core: `${place} Chamber`, kindLabel: 'chamber of commerce' };
    case 'incubator':
      return { name: `${place} Technology Business Incubator`, core: `${place} Incubator`, kindLabel: 'technology business incubator' };
    case 'tto':
      return { name: `Technology Transfer Office, ${place} University`, core: `${place} TTO`, kindLabel: 'technology transfer office' };
  }
}

const ROLE_OF_OTHER: Record<OtherKind, OrganizationRole> = {
  local_government: 'public',
  cooperative: 'collective',
  foundation: 'collective',
  association: 'broker',
  chamber: 'broker',
  incubator: 'broker',
  tto: 'broker',
};

function slugify(text: string): string {
  const ascii = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  const slug = ascii.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (slug.length <= 40) return slug;
  const cut = slug.slice(0, 40);
  const at = cut.lastIndexOf('-');
  return at > 10 ? cut.slice(0, at) : cut;
}

const EMAIL_LOCALS: Record<OrganizationType, readonly string[]> = {
  sme: ['info', 'sales', 'contact', 'hello'],
  large_company: ['innovation', 'partnerships', 'r-and-d'],
  university: ['tto', 'techtransfer', 'research-office'],
  rnd_institution: ['licensing', 'techtransfer', 'industry-liaison'],
  other: ['info', 'secretariat', 'programmes', 'office'],
};

function phone(rng: Rng, c: DemoCountry): string {
  // 555-01xx style subscriber numbers read as fictional.
  return `+${c.callingCode} ${intBetween(rng, 2, 99)} 555 01${String(intBetween(rng, 0, 99)).padStart(2, '0')}`;
}

/**
 * Generates `count` organisation profiles. The same (count, seed) always gives the same list, and
 * the list for a smaller count is a prefix of the list for a larger one.
 */
export function generateOrganizationProfiles(count: number, seed: number): OrganizationProfile[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError('organisation count must be a positive integer');
  const rng = mulberry32(deriveSeed(seed, 'organizations'));
  const sectorCycle = shuffled(rng, SECTOR_CODES);
  const usedNames = new Set<string>();
  const usedSlugs = new Set<string>();
  const out: OrganizationProfile[] = [];

  for (let i = 0; i < count; i++) {
    const forced = FORCED[i];
    const type: OrganizationType = forced ? forced[0] : pickWeighted(rng, TYPE_WEIGHTS);
    const otherKind: OtherKind | null = type !== 'other' ? null : (forced?.[2] ?? pickWeighted(rng, OTHER_KIND_WEIGHTS));
    let size: OrganizationSize | null = forced ? forced[1] : drawSize(rng, type);
    if (!forced && otherKind === 'local_government') size = chance(rng, 0.5) ? 'size_250_plus' : null;
    let country = COUNTRY_BY_CODE.get(pickWeighted(rng, COUNTRY_TABLE)) as DemoCountry;
    // Local governments and cooperatives posting needs are the centre's member-State constituencies.
    for (let k = 0; k < 20 && (otherKind === 'local_government' || otherKind === 'cooperative') && PARTNER_SUBREGIONS.has(country.subregion); k++) {
      country = COUNTRY_BY_CODE.get(pickWeighted(rng, COUNTRY_TABLE)) as DemoCountry;
    }
    const primary: Sector = i < sectorCycle.length ? (sectorCycle[i] as Sector) : pick(rng, SECTOR_CODES);
    const extra = sample(rng, SECTOR_CODES.filter((s) => s !== primary), pickWeighted(rng, [[0, 30], [1, 45], [2, 25]] as const));
    const focus = [primary, ...extra];

    let parts: NameParts | undefined;
    let place = pick(rng, country.places);
    let last: NameParts | undefined;
    for (let attempt = 0; attempt < 12 && !parts; attempt++) {
      if (attempt > 0) place = pick(rng, country.places);
      last =
        type === 'sme' || type === 'large_company'
          ? companyName(rng, country, place, primary, type === 'large_company')
          : type === 'university'
            ? universityName(rng, place, primary)
            : type === 'rnd_institution'
              ? researchName(rng, country, place, primary)
              : intermediaryName(rng, country, place, primary, otherKind ?? 'association');
      if (!usedNames.has(last.name)) parts = last;
    }
    if (!parts && last) {
      // Name space exhausted for this country and type (only with thousands of organisations).
      const branch = type === 'university' || type === 'rnd_institution' ? 'Campus' : 'Branch';
      let name = `${last.name}, ${place} ${branch}`;
      for (let n = 2; usedNames.has(name); n++) name = `${last.name}, ${place} ${branch} ${n}`;
      parts = { ...last, name, core: `${last.core} ${place}` };
    }
    if (!parts) throw new Error('unreachable: no organisation name generated');
    usedNames.add(parts.name);

    let slug = slugify(parts.core);
    if (usedSlugs.has(slug)) slug = `${slug}-${country.code.toLowerCase()}`;
    for (let n = 2; usedSlugs.has(slug); n++) slug = `${slugify(parts.core)}-${n}`;
    usedSlugs.add(slug);

    const tld = type === 'university' || type === 'rnd_institution' || type === 'other'
      ? pickWeighted<string>(rng, [['example', 5], ['example.org', 4], ['example.com', 1]])
      : pickWeighted<string>(rng, [['example', 5], ['example.com', 4], ['example.org', 1]]);
    const domain = `${slug}.${tld}`;
    const employees = size ? intBetween(rng, SIZE_EMPLOYEES[size][0], SIZE_EMPLOYEES[size][1]) : null;

    const organization: DemoOrganization = {
      name: parts.name,
      type,
      size,
      country: country.code,
      website: chance(rng, 0.88) ? `https://www.${domain}` : null,
      contactEmail: `${pick(rng, EMAIL_LOCALS[type])}@${domain}`,
      contactPhone: chance(rng, 0.72) ? phone(rng, country) : null,
    };
    const role: OrganizationRole =
      type === 'sme' || type === 'large_company' ? 'company' : type === 'other' ? ROLE_OF_OTHER[otherKind ?? 'association'] : 'research';
    out.push({
      role,
      organization,
      countryInfo: country,
      place,
      focus,
      kindLabel: parts.kindLabel,
      employees,
    });
  }
  return out;
}
