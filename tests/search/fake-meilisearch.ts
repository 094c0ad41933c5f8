import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A stand-in for the few Meilisearch routes the engine's write path and settings use, enough to
// test, without a server, that settings are applied only when they changed and that a task that
// fails after its 202 is detected. It does not search: the contract suite needs the real thing.

interface FakeTask {
  uid: number;
  indexUid: string | null;
  type: string;
  status: 'succeeded' | 'failed';
  error: { message: string; code: string; type: string; link: string } | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export class FakeMeilisearch {
  readonly requests: RecordedRequest[] = [];
  readonly indexes = new Map<string, { settings: Record<string, unknown>; documents: Map<string, unknown> }>();
  /** The next task fails with this message (as Meilisearch reports a bad document after the 202). */
  failNextTask: string | null = null;
  /** What GET /search answers. */
  searchResponse: Record<string, unknown> = { hits: [], estimatedTotalHits: 0, facetDistribution: {}, processingTimeMs: 1, query: '', offset: 0, limit: 20 };
  private readonly tasks = new Map<number, FakeTask>();
  private server: Server | null = null;

  get host() {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async start() {
    this.server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://fake');
        const body = raw ? JSON.parse(raw) : undefined;
        this.requests.push({ method: request.method ?? 'GET', path: url.pathname, body });
        const [status, payload] = this.route(request.method ?? 'GET', url.pathname, body);
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(payload));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
  }

  async stop() {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private enqueue(indexUid: string | null, type: string, apply: () => void): [number, unknown] {
    const uid = this.tasks.size + 1;
    const failure = this.failNextTask;
    this.failNextTask = null;
    if (failure === null) apply();
    this.tasks.set(uid, {
      uid,
      indexUid,
      type,
      status: failure === null ? 'succeeded' : 'failed',
      error: failure === null ? null : { message: failure, code: 'invalid_document_fields', type: 'invalid_request', link: '' },
    });
    return [202, { taskUid: uid, indexUid, status: 'enqueued', type, enqueuedAt: new Date().toISOString() }];
  }

  private route(method: string, path: string, body: unknown): [number, unknown] {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] === 'tasks' && method === 'GET') {
      const task = this.tasks.get(Number(parts[1]));
      return task ? [200, { ...task, batchUid: null, canceledBy: null, duration: 'PT0S', enqueuedAt: '', startedAt: '', finishedAt: '' }] : [404, {}];
    }
    if (parts[0] === 'indexes' && parts.length === 1 && method === 'POST') {
      const { uid } = body as { uid: string };
      return this.enqueue(uid, 'indexCreation', () => this.indexes.set(uid, { settings: {}, documents: new Map() }));
    }
    const uid = parts[1]!;
    const index = this.indexes.get(uid);
    if (!index) return [404, { message: `Index \`${uid}\` not found.`, code: 'index_not_found', type: 'invalid_request', link: '' }];
    const rest = parts.slice(2).join('/');
    if (rest === '' && method === 'GET') return [200, { uid, primaryKey: 'id', createdAt: '', updatedAt: '' }];
    if (rest === 'settings' && method === 'GET') return [200, index.settings];
    if (rest === 'settings' && method === 'PATCH') {
      return this.enqueue(uid, 'settingsUpdate', () => Object.assign(index.settings, body as object));
    }
    if (rest === 'documents' && method === 'POST') {
      return this.enqueue(uid, 'documentAdditionOrUpdate', () => {
        for (const document of body as { id: string }[]) index.documents.set(document.id, document);
      });
    }
    if (rest === 'documents/delete-batch' && method === 'POST') {
      return this.enqueue(uid, 'documentDeletion', () => {
        for (const id of body as string[]) index.documents.delete(id);
      });
    }
    if (rest === 'stats' && method === 'GET') return [200, { numberOfDocuments: index.documents.size, isIndexing: false, fieldDistribution: {} }];
    if (rest === 'search' && method === 'POST') return [200, this.searchResponse];
    return [404, { message: `no route ${method} ${path}`, code: 'not_found', type: 'invalid_request', link: '' }];
  }
}
