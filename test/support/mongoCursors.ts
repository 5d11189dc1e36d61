/**
 * Server-side cursors of the MongoDB test stand-in. A query's result is copied when the
 * cursor opens and handed out in batches: 101 documents first, as a real server does unless
 * told otherwise, then as many as fit in 16 MiB per getMore.
 */
import { BSON, Long, type Document } from 'bson';
import { cloneDocument } from './mongoUpdate.js';
import { MongoCommandError } from './mongoErrors.js';

const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

interface OpenCursor {
  namespace: string;
  documents: Document[];
  position: number;
}

export class CursorRegistry {
  private nextId = 1;
  private readonly open = new Map<number, OpenCursor>();

  /** The `cursor` reply of find, aggregate and listIndexes. */
  start(namespace: string, results: Document[], batchSize: number | undefined, singleBatch = false): Document {
    const cursor: OpenCursor = { namespace, documents: results.map(cloneDocument), position: 0 };
    const firstBatch = this.take(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = 0;
    if (!singleBatch && cursor.position < cursor.documents.length) {
      id = this.nextId++;
      this.open.set(id, cursor);
    }
    return { cursor: { id: Long.fromNumber(id), ns: namespace, firstBatch }, ok: 1 };
  }

  getMore(id: number, namespace: string, batchSize: number | undefined): Document {
    const cursor = this.open.get(id);
    if (!cursor || cursor.namespace !== namespace)
      throw new MongoCommandError(43, 'CursorNotFound', `cursor id ${id} not found`);
    const nextBatch = this.take(cursor, batchSize ?? Number.POSITIVE_INFINITY);
    const exhausted = cursor.position >= cursor.documents.length;
    if (exhausted) this.open.delete(id);
    return { cursor: { id: Long.fromNumber(exhausted ? 0 : id), ns: namespace, nextBatch }, ok: 1 };
  }

  kill(ids: number[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  private take(cursor: OpenCursor, limit: number): Document[] {
    const batch: Document[] = [];
    let bytes = 0;
    while (cursor.position < cursor.documents.length && batch.length < limit) {
      const next = cursor.documents[cursor.position]!;
      bytes += BSON.calculateObjectSize(next);
      if (batch.length > 0 && bytes > MAX_BATCH_BYTES) break;
      batch.push(next);
      cursor.position += 1;
    }
    return batch;
  }
}
