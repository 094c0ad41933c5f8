import { randomUUID } from 'node:crypto';
import type { SearchDocument } from '../../src/modules/search/search.port.js';

let references = 0;

/**
 * A published offer as a search index holds it, valid through 2026; each test names the fields
 * that matter to it and takes these plain values for the rest.
 */
export function searchDocument(overrides: Partial<SearchDocument> & Pick<SearchDocument, 'title'>): SearchDocument {
  references += 1;
  return {
    id: randomUUID(),
    reference: `TO-TH-2026-${String(references).padStart(5, '0')}`,
    kind: 'offer',
    summary: 'A technology from the regional database.',
    description: 'It is offered to partners in the region.',
    details: '',
    keywords: [],
    sectors: ['manufacturing_materials'],
    country: 'TH',
    targetCountries: [],
    stage: 'on_the_market',
    trl: 9,
    iprStatus: 'none',
    partnershipTypes: ['licence'],
    sdgs: [],
    organizationName: 'Acme Engineering',
    organizationId: randomUUID(),
    publishedAt: new Date('2026-01-01T00:00:00Z'),
    expiresAt: new Date('2027-01-01T00:00:00Z'),
    ...overrides,
  };
}
