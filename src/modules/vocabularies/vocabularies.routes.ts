import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AGREEMENT_TYPES,
  DECLINE_REASONS,
  IPR_STATUSES,
  LISTING_KINDS,
  LISTING_STATUSES,
  ORGANIZATION_SIZES,
  ORGANIZATION_TYPES,
  PARTNERSHIP_TYPES,
  SDGS,
  SECTORS,
  STAGES,
  TRL_LEVELS,
} from './enums.js';
import { COUNTRIES, REGIONS } from './countries.js';

const ZEntry = z.object({ code: z.string(), label: z.string() });
const ZNumberEntry = z.object({ code: z.number().int(), label: z.string() });

const ZVocabularies = z.object({
  kinds: z.array(z.string()),
  statuses: z.array(z.string()),
  sectors: z.array(ZEntry),
  stages: z.array(ZEntry),
  trl: z.array(ZNumberEntry),
  iprStatuses: z.array(ZEntry),
  partnershipTypes: z.array(ZEntry),
  organizationTypes: z.array(ZEntry),
  organizationSizes: z.array(ZEntry),
  sdgs: z.array(ZNumberEntry),
  regions: z.array(ZEntry),
  countries: z.array(z.object({ code: z.string(), name: z.string(), region: z.string() })),
  declineReasons: z.array(ZEntry),
  agreementTypes: z.array(ZEntry),
});

// Built once: the lists are constants, and clients fetch them on every page load.
const vocabularies = {
  kinds: [...LISTING_KINDS],
  statuses: [...LISTING_STATUSES],
  sectors: [...SECTORS],
  stages: [...STAGES],
  trl: [...TRL_LEVELS],
  iprStatuses: [...IPR_STATUSES],
  partnershipTypes: [...PARTNERSHIP_TYPES],
  organizationTypes: [...ORGANIZATION_TYPES],
  organizationSizes: [...ORGANIZATION_SIZES],
  sdgs: [...SDGS],
  regions: [...REGIONS],
  countries: COUNTRIES.map(({ code, name, region }) => ({ code, name, region })),
  declineReasons: [...DECLINE_REASONS],
  agreementTypes: [...AGREEMENT_TYPES],
};

const vocabularyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/vocabularies',
    {
      schema: {
        tags: ['vocabularies'],
        summary: 'The controlled lists (sectors, countries, stages, TRL, IPR statuses, partnership types, SDGs)',
        response: { 200: ZVocabularies },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=3600');
      return vocabularies;
    },
  );
};

export default vocabularyRoutes;
