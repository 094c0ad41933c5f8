import type { AppConfig } from '../../config.js';
import type { Database, IndexReader } from '../../db/client.js';
import { MeilisearchEngine } from './meilisearch.engine.js';
import { PostgresSearchEngine } from './postgres-search.engine.js';
import { conceptSynonyms, conceptVocabulary } from './query-expansion.js';
import type { SearchEngine } from './search.port.js';

/** The engine the configuration asks for: Meilisearch when MEILI_HOST is set, else the built-in one. */
export function createSearchEngine(config: AppConfig, db: Database, reader?: IndexReader): SearchEngine {
  const meili = config.search.meili;
  if (meili) return new MeilisearchEngine({ host: meili.host, apiKey: meili.apiKey, index: meili.index, synonyms: conceptSynonyms() });
  return new PostgresSearchEngine(db, { vocabulary: conceptVocabulary(), ...(reader ? { reader } : {}) });
}
