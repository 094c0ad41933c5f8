import { describe, expect, it } from 'vitest';
import {
  IPR_STATUSES,
  ORGANIZATION_SIZES,
  ORGANIZATION_TYPES,
  PARTNERSHIP_TYPES,
  SECTORS,
  STAGES,
} from '../src/modules/vocabularies/enums.js';
import {
  ASIA_PACIFIC_CODES,
  DEMO_COUNTRY_CODES,
  PARTNER_CODES,
  TECH_FAMILIES,
  TRL_RANGE_BY_STAGE,
  generateDemoData,
  generateListings,
  type DemoListing,
} from '../src/cli/demo-data/generator.js';

const SECTOR_CODES = new Set<string>(SECTORS.map((s) => s.code));
const STAGE_CODES = new Set<string>(STAGES.map((s) => s.code));
const IPR_CODES = new Set<string>(IPR_STATUSES.map((s) => s.code));
const PT_CODES = new Set<string>(PARTNERSHIP_TYPES.map((s) => s.code));
const TYPE_CODES = new Set<string>(ORGANIZATION_TYPES.map((s) => s.code));
const SIZE_CODES = new Set<string>(ORGANIZATION_SIZES.map((s) => s.code));
const EXPECTED_COUNTRIES = [
  'TH', 'VN', 'ID', 'PH', 'MY', 'SG', 'IN', 'BD', 'PK', 'LK', 'NP', 'BT', 'MV', 'CN', 'KR', 'JP', 'MN', 'UZ', 'KZ', 'TM',
  'IR', 'KH', 'LA', 'MM', 'TL', 'FJ', 'AU', 'NZ', 'DE', 'FR', 'NL', 'IT', 'ES', 'FI', 'GB', 'US', 'CA', 'BR', 'KE', 'ZA',
];
const ALLOWED_COUNTRIES = new Set(EXPECTED_COUNTRIES);
/** Patent-number-like strings: an office code followed by six or more digits, or a US-style US 11,234,567. */
const PATENT_NUMBER = /\b[A-Z]{2} (?:10-)?\d{6,}|\bUS \d{1,2},\d{3},\d{3}/;
const RESERVED_HOST = /^([a-z0-9-]+\.)*(example|example\.com|example\.org)$/;

function hostOf(url: string): string {
  return new URL(url).hostname;
}

const SAMPLE = generateDemoData({ listings: 2000, organizations: 300, seed: 11 });

describe('demo data: determinism', () => {
  it('gives the same output for the same seed', () => {
    const a = generateDemoData({ listings: 300, organizations: 60, seed: 7 });
    const b = generateDemoData({ listings: 300, organizations: 60, seed: 7 });
    expect(b).toEqual(a);
  });

  it('gives different output for a different seed', () => {
    const a = generateDemoData({ listings: 50, organizations: 20, seed: 7 });
    const b = generateDemoData({ listings: 50, organizations: 20, seed: 8 });
    expect(b.listings.map((l) => l.title)).not.toEqual(a.listings.map((l) => l.title));
    expect(b.organizations.map((o) => o.name)).not.toEqual(a.organizations.map((o) => o.name));
  });

  it('streams exactly the listings that generateDemoData returns', () => {
    const data = generateDemoData({ listings: 500, organizations: 80, seed: 3 });
    const streamed = [...generateListings({ count: 500, organizationCount: 80, seed: 3 })];
    expect(streamed).toEqual(data.listings);
  });

  it('is prefix-stable: more listings extend, not change, the first ones', () => {
    const small = generateDemoData({ listings: 100, organizations: 40, seed: 5 });
    const large = generateDemoData({ listings: 400, organizations: 40, seed: 5 });
    expect(large.listings.slice(0, 100)).toEqual(small.listings);
    expect(large.organizations).toEqual(small.organizations);
  });

  it('has a default seed and a default organisation count', () => {
    const a = generateDemoData({ listings: 30 });
    const b = generateDemoData({ listings: 30 });
    expect(a).toEqual(b);
    expect(a.organizations.length).toBeGreaterThanOrEqual(12);
  });
});

describe('demo data: catalogue', () => {
  it('has at least 120 hand-written families covering every sector', () => {
    expect(TECH_FAMILIES.length).toBeGreaterThanOrEqual(120);
    const ids = TECH_FAMILIES.map((f) => f.id);
    expect(new Set(ids).size).toBe(ids.length);
    const covered = new Set(TECH_FAMILIES.flatMap((f) => f.sectors));
    for (const s of SECTOR_CODES) expect(covered, `sector ${s}`).toContain(s);
    const primary = new Set(TECH_FAMILIES.map((f) => f.sectors[0]));
    expect(primary.size).toBe(SECTOR_CODES.size);
  });

  it('families are well-formed', () => {
    for (const f of TECH_FAMILIES) {
      expect(f.sectors.length, f.id).toBeGreaterThanOrEqual(1);
      expect(f.sectors.length, f.id).toBeLessThanOrEqual(3);
      expect(new Set(f.sectors).size, f.id).toBe(f.sectors.length);
      for (const s of f.sectors) expect(SECTOR_CODES.has(s), `${f.id}: ${s}`).toBe(true);
      for (const g of f.sdgs) expect(g >= 1 && g <= 17, `${f.id}: SDG ${g}`).toBe(true);
      expect(f.offerTitles.length, f.id).toBeGreaterThanOrEqual(2);
      expect(f.requestTitles.length, f.id).toBeGreaterThanOrEqual(2);
      expect(f.keywords.length, f.id).toBeGreaterThanOrEqual(4);
      expect(f.budget[0], f.id).toBeLessThan(f.budget[1]);
      for (const key of Object.keys(f.vars)) {
        expect(['country', 'place', 'year', 'n', 'budget', 'months', 'years', 'nextYear', 'users', 'requester', 'what', 'want'], `${f.id}: var ${key} shadows a context key`).not.toContain(key);
      }
    }
  });

  it('country lists match the brief', () => {
    expect(new Set(DEMO_COUNTRY_CODES)).toEqual(ALLOWED_COUNTRIES);
    expect(ASIA_PACIFIC_CODES.length + PARTNER_CODES.length).toBe(EXPECTED_COUNTRIES.length);
  });
});

describe('demo data: organisations', () => {
  const { organizations } = SAMPLE;

  it('cover every type and size, with reserved domains', () => {
    expect(new Set(organizations.map((o) => o.type))).toEqual(TYPE_CODES);
    expect(new Set(organizations.map((o) => o.size).filter((s) => s !== null))).toEqual(SIZE_CODES);
    const names = organizations.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    for (const o of organizations) {
      expect(TYPE_CODES.has(o.type)).toBe(true);
      expect(o.size === null || SIZE_CODES.has(o.size)).toBe(true);
      if (o.type === 'large_company') expect(o.size).toBe('size_250_plus');
      if (o.type === 'sme') expect(['size_1_10', 'size_11_49', 'size_50_249']).toContain(o.size);
      expect(ALLOWED_COUNTRIES.has(o.country), o.country).toBe(true);
      expect(o.name.length).toBeGreaterThan(3);
      const emailHost = o.contactEmail.split('@')[1] ?? '';
      expect(o.contactEmail).toMatch(/^[a-z0-9.-]+@[a-z0-9.-]+$/);
      expect(emailHost, o.contactEmail).toMatch(RESERVED_HOST);
      if (o.website !== null) expect(hostOf(o.website), o.website).toMatch(RESERVED_HOST);
      if (o.contactPhone !== null) expect(o.contactPhone).toMatch(/^\+\d{1,3} [\d ]+$/);
    }
  });

  it('covers every type and size even in a small demo', () => {
    const small = generateDemoData({ listings: 10, organizations: 8, seed: 99 }).organizations;
    expect(new Set(small.map((o) => o.type))).toEqual(TYPE_CODES);
    expect(new Set(small.map((o) => o.size).filter((s) => s !== null))).toEqual(SIZE_CODES);
  });

  it('are mostly from Asia-Pacific', () => {
    const ap = organizations.filter((o) => ASIA_PACIFIC_CODES.includes(o.country)).length;
    expect(ap / organizations.length).toBeGreaterThan(0.75);
    expect(ap).toBeLessThan(organizations.length);
  });
});

describe('demo data: listing constraints (2,000 listings)', () => {
  const { listings, organizations } = SAMPLE;

  it('generates the requested number', () => {
    expect(listings).toHaveLength(2000);
  });

  it('respects text limits and leaves no template placeholders', () => {
    for (const l of listings) {
      expect(l.title.length).toBeGreaterThan(10);
      expect(l.title.length).toBeLessThanOrEqual(200);
      expect(l.summary.length).toBeGreaterThan(40);
      expect(l.summary.length).toBeLessThanOrEqual(500);
      expect(l.description.length).toBeGreaterThan(200);
      expect(l.description.length).toBeLessThanOrEqual(4000);
      for (const text of [l.title, l.summary, l.description, l.advantages ?? '', l.specificationSought ?? '', l.iprNotes ?? '']) {
        expect(text, text).not.toMatch(/[{}]|undefined|\s\s|\.\./);
      }
      expect(l.title.charAt(0)).toBe(l.title.charAt(0).toUpperCase());
      if (l.kind === 'offer') {
        expect(l.advantages).not.toBeNull();
        expect(l.advantages!.length).toBeLessThanOrEqual(2000);
        expect(l.specificationSought).toBeNull();
      } else {
        expect(l.specificationSought).not.toBeNull();
        expect(l.specificationSought!.length).toBeLessThanOrEqual(2000);
        expect(l.advantages).toBeNull();
      }
    }
  });

  it('has typical description lengths of 400–1200 characters', () => {
    const lengths = listings.map((l) => l.description.length).sort((a, b) => a - b);
    const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
    expect(median).toBeGreaterThanOrEqual(400);
    expect(median).toBeLessThanOrEqual(1200);
    const inRange = lengths.filter((n) => n >= 400 && n <= 1200).length;
    expect(inRange / lengths.length).toBeGreaterThan(0.8);
  });

  it('uses controlled vocabularies with the right cardinalities', () => {
    for (const l of listings) {
      expect(l.organizationIndex).toBeGreaterThanOrEqual(0);
      expect(l.organizationIndex).toBeLessThan(organizations.length);
      expect(Number.isInteger(l.organizationIndex)).toBe(true);
      expect(['offer', 'request']).toContain(l.kind);

      expect(l.sectors.length).toBeGreaterThanOrEqual(1);
      expect(l.sectors.length).toBeLessThanOrEqual(3);
      expect(new Set(l.sectors).size).toBe(l.sectors.length);
      for (const s of l.sectors) expect(SECTOR_CODES.has(s)).toBe(true);

      expect(l.keywords.length).toBeGreaterThanOrEqual(1);
      expect(l.keywords.length).toBeLessThanOrEqual(10);
      expect(new Set(l.keywords.map((k) => k.toLowerCase())).size).toBe(l.keywords.length);
      for (const k of l.keywords) expect(k.trim().length).toBeGreaterThan(0);

      expect(l.partnershipTypes.length).toBeGreaterThanOrEqual(1);
      expect(l.partnershipTypes.length).toBeLessThanOrEqual(3);
      expect(new Set(l.partnershipTypes).size).toBe(l.partnershipTypes.length);
      for (const p of l.partnershipTypes) expect(PT_CODES.has(p)).toBe(true);

      expect(STAGE_CODES.has(l.stage)).toBe(true);
      expect(Number.isInteger(l.trl)).toBe(true);
      const [min, max] = TRL_RANGE_BY_STAGE[l.stage];
      expect(l.trl, `${l.stage} TRL ${l.trl}`).toBeGreaterThanOrEqual(min);
      expect(l.trl, `${l.stage} TRL ${l.trl}`).toBeLessThanOrEqual(max);

      expect(IPR_CODES.has(l.iprStatus)).toBe(true);

      expect(l.sdgs.length).toBeGreaterThanOrEqual(1);
      expect(new Set(l.sdgs).size).toBe(l.sdgs.length);
      for (const g of l.sdgs) {
        expect(Number.isInteger(g)).toBe(true);
        expect(g).toBeGreaterThanOrEqual(1);
        expect(g).toBeLessThanOrEqual(17);
      }

      expect(l.targetCountries.length).toBeGreaterThanOrEqual(1);
      expect(new Set(l.targetCountries).size).toBe(l.targetCountries.length);
      for (const c of l.targetCountries) {
        expect(c).toMatch(/^[A-Z]{2}$/);
        expect(ALLOWED_COUNTRIES.has(c), c).toBe(true);
      }
    }
  });

  it('matches TRL to stage exactly as specified', () => {
    expect(TRL_RANGE_BY_STAGE).toEqual({
      concept: [1, 3],
      under_development: [3, 5],
      lab_tested: [4, 6],
      available_for_demonstration: [6, 8],
      on_the_market: [8, 9],
    });
    expect(new Set(listings.map((l) => l.stage))).toEqual(STAGE_CODES);
  });

  it('has about 45% requests, 15% anonymous and 80% published', () => {
    const share = (pred: (l: DemoListing) => boolean) => listings.filter(pred).length / listings.length;
    expect(share((l) => l.kind === 'request')).toBeGreaterThan(0.4);
    expect(share((l) => l.kind === 'request')).toBeLessThan(0.5);
    expect(share((l) => l.anonymous)).toBeGreaterThan(0.11);
    expect(share((l) => l.anonymous)).toBeLessThan(0.19);
    expect(share((l) => l.status === 'published')).toBeGreaterThan(0.75);
    expect(share((l) => l.status === 'published')).toBeLessThan(0.85);
    expect(new Set(listings.map((l) => l.status))).toEqual(new Set(['draft', 'submitted', 'published', 'expired', 'withdrawn']));
  });

  it('dates publication consistently with the status', () => {
    for (const l of listings) {
      if (l.status === 'published') {
        expect(l.publishedDaysAgo).not.toBeNull();
        expect(l.publishedDaysAgo!).toBeGreaterThanOrEqual(0);
        expect(l.publishedDaysAgo!).toBeLessThanOrEqual(365);
      } else if (l.status === 'expired') {
        expect(l.publishedDaysAgo!).toBeGreaterThan(365);
        expect(l.publishedDaysAgo!).toBeLessThanOrEqual(400);
      } else {
        expect(l.publishedDaysAgo).toBeNull();
      }
      if (l.publishedDaysAgo !== null) expect(Number.isInteger(l.publishedDaysAgo)).toBe(true);
    }
  });

  it('puts patent numbers in IPR notes only when granted and not anonymous', () => {
    let withNumbers = 0;
    for (const l of listings) {
      const notes = l.iprNotes ?? '';
      if (PATENT_NUMBER.test(notes)) {
        withNumbers++;
        expect(l.iprStatus).toBe('ipr_granted');
        expect(l.anonymous).toBe(false);
      }
      if (l.iprStatus === 'ipr_granted' && !l.anonymous) expect(notes, 'granted, public listing').toMatch(PATENT_NUMBER);
      for (const text of [l.title, l.summary, l.description, l.advantages ?? '', l.specificationSought ?? '']) {
        expect(text).not.toMatch(PATENT_NUMBER);
      }
    }
    expect(withNumbers).toBeGreaterThan(0);
  });

  it('does not name the organisation in the text of anonymous listings', () => {
    for (const l of listings.filter((x) => x.anonymous)) {
      const org = organizations[l.organizationIndex]!;
      for (const text of [l.title, l.summary, l.description, l.advantages ?? '', l.specificationSought ?? '']) {
        expect(text.includes(org.name)).toBe(false);
      }
    }
  });

  it('targets mostly Asia-Pacific, with some partners elsewhere', () => {
    const all = listings.flatMap((l) => l.targetCountries);
    const ap = all.filter((c) => ASIA_PACIFIC_CODES.includes(c)).length;
    expect(ap / all.length).toBeGreaterThan(0.75);
    expect(all.some((c) => PARTNER_CODES.includes(c))).toBe(true);
    expect(new Set(all).size).toBeGreaterThan(30);
  });

  it('spreads over every sector and many families', () => {
    const sectors = new Set(listings.flatMap((l) => l.sectors));
    expect(sectors).toEqual(SECTOR_CODES);
  });
});

describe('demo data: the first 200 read as distinct listings', () => {
  it('has 200 unique titles (and unique summaries) with the default seed', () => {
    const { listings } = generateDemoData({ listings: 200 });
    expect(new Set(listings.map((l) => l.title)).size).toBe(200);
    expect(new Set(listings.map((l) => l.summary)).size).toBe(200);
    expect(new Set(listings.map((l) => l.description)).size).toBe(200);
  });

  it('keeps titles unique for other seeds and organisation counts too', () => {
    for (const [seed, organizations] of [[2, 25], [42, 40], [2026, 60]] as const) {
      const titles = generateDemoData({ listings: 200, organizations, seed }).listings.map((l) => l.title);
      expect(new Set(titles).size, `seed ${seed}`).toBe(200);
    }
  });

  it('uses more than 120 different technology families in the first 200', () => {
    const { listings } = generateDemoData({ listings: 200, seed: 1 });
    const familyOf = (l: DemoListing) =>
      TECH_FAMILIES.find(
        (f) => f.sectors.join() === l.sectors.join() && l.keywords.filter((k) => f.keywords.includes(k)).length >= 4,
      )?.id;
    const families = listings.map(familyOf);
    expect(families.every((id) => id !== undefined)).toBe(true);
    expect(new Set(families).size).toBeGreaterThan(120);
  });
});

describe('demo data: scale', () => {
  // How fast it streams is the seed benchmark's business (BENCHMARKS.md), not a timed assertion here.
  it('streams 20,000 listings with diverse titles', () => {
    const titles = new Set<string>();
    let count = 0;
    for (const l of generateListings({ count: 20000, organizationCount: 2000, seed: 9 })) {
      titles.add(l.title);
      count++;
    }
    expect(count).toBe(20000);
    expect(titles.size).toBe(20000);
  });

  it('rejects invalid counts', () => {
    expect(() => [...generateListings({ count: 5, organizationCount: 0 })]).toThrow();
    expect(() => generateDemoData({ listings: -1 })).toThrow();
  });
});
