import type { SearchDocument, SearchEngine, SearchQuery } from '../../src/modules/search/search.port.js';

/**
 * Wraps a real engine to simulate trouble: 'down' fails every call (the engine is unreachable);
 * 'die-mid-batch' applies the first half of a write and then never answers, as a worker process
 * killed in the middle of a batch would leave things.
 */
export class FlakyEngine implements SearchEngine {
  mode: 'up' | 'down' | 'die-mid-batch' = 'up';
  /** Resolves when a write has hung in 'die-mid-batch' mode. */
  hung: Promise<void>;
  private markHung!: () => void;

  constructor(private readonly inner: SearchEngine) {
    this.hung = new Promise((resolve) => (this.markHung = resolve));
  }

  get name() {
    return this.inner.name;
  }

  get anyWordHitBudget() {
    return this.inner.anyWordHitBudget;
  }

  private check() {
    if (this.mode === 'down') throw new Error('search engine unreachable (simulated outage)');
  }

  async ensureReady() {
    this.check();
    await this.inner.ensureReady();
  }

  async upsert(documents: SearchDocument[]) {
    this.check();
    if (this.mode === 'die-mid-batch') {
      await this.inner.upsert(documents.slice(0, Math.ceil(documents.length / 2)));
      this.markHung();
      return new Promise<void>(() => {});
    }
    await this.inner.upsert(documents);
  }

  async remove(ids: string[]) {
    this.check();
    await this.inner.remove(ids);
  }

  async search(query: SearchQuery) {
    this.check();
    return this.inner.search(query);
  }

  async count() {
    this.check();
    return this.inner.count();
  }

  /** Runs once a rebuild has read its first batch and before it writes it (a change racing the rebuild). */
  duringRebuild: (() => Promise<void>) | null = null;

  async rebuild(batches: AsyncIterable<SearchDocument[]>, onProgress?: (indexed: number) => void) {
    this.check();
    const hook = this.duringRebuild;
    this.duringRebuild = null;
    async function* withHook() {
      for await (const batch of batches) {
        if (hook) await hook();
        yield batch;
      }
    }
    await this.inner.rebuild(hook ? withHook() : batches, onProgress);
  }
}
