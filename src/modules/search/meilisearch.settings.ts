import type { Settings } from 'meilisearch';

// The index settings, declared once. Applying settings makes Meilisearch re-index every document,
// so ensureReady() sends only the keys whose value differs from what the index already holds.

/** Most that a search can page through; the search API stops offsets at this window too. */
export const MEILI_MAX_TOTAL_HITS = 10_000;

export function meiliSettings(synonyms: Record<string, string[]>): Settings {
  return {
    // Order is weight for the `attribute` rule: title > keywords > summary > description/details.
    searchableAttributes: ['title', 'keywords', 'summary', 'description', 'details', 'organizationName'],
    // organizationId and organizationName are not displayed: a leaked search key would not reveal
    // who stands behind a listing (anonymous ones hold no name anyway).
    displayedAttributes: ['id', 'title', 'summary', 'description', 'details', 'keywords'],
    filterableAttributes: [
      'id',
      'kind',
      'sectors',
      'country',
      'targetCountries',
      'stage',
      'trl',
      'iprStatus',
      'partnershipTypes',
      'sdgs',
      'publishedAt',
      'expiresAt',
      'organizationId',
    ],
    sortableAttributes: ['publishedAt'],
    // `sort` first: "newest" is a strict date order; without a sort parameter the rule is inert.
    rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness', 'publishedAt:desc'],
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
    synonyms,
    pagination: { maxTotalHits: MEILI_MAX_TOTAL_HITS },
    faceting: { maxValuesPerFacet: 300 },
  };
}

type SettingKey = keyof Settings;
/** Settings whose values are sets: Meilisearch may return them in another order. */
const SET_VALUED: ReadonlySet<SettingKey> = new Set(['filterableAttributes', 'sortableAttributes', 'displayedAttributes']);

function canonical(key: SettingKey, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(key, item));
    return SET_VALUED.has(key) ? [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) : items;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    // Synonym lists are sets too.
    return Object.fromEntries(entries.map(([k, v]) => [k, key === 'synonyms' && Array.isArray(v) ? [...v].sort() : canonical(key, v)]));
  }
  return value;
}

/** Whether `current` already holds every part of `desired` (extra defaults in `current` are fine). */
function covers(key: SettingKey, desired: unknown, current: unknown): boolean {
  if (desired && typeof desired === 'object' && !Array.isArray(desired) && key !== 'synonyms') {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return false;
    return Object.entries(desired as Record<string, unknown>).every(([k, v]) => covers(key, v, (current as Record<string, unknown>)[k]));
  }
  return JSON.stringify(canonical(key, desired)) === JSON.stringify(canonical(key, current));
}

/** The part of `desired` that differs from `current`; empty when nothing needs applying. */
export function settingsChanges(desired: Settings, current: Settings): Settings {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(desired) as SettingKey[]) {
    if (!covers(key, desired[key], current[key])) changes[key] = desired[key];
  }
  return changes as Settings;
}
