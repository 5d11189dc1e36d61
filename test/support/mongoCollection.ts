/**
 * One in-memory collection of the MongoDB test stand-in: its documents in insertion order and
 * its indexes. Indexes are listed, conflict-checked and, when unique, enforced on every write
 * like a real server does. Unique indexes also keep a map from key to document, so the
 * uniqueness check and a query with a string equality on a unique field (an upsert by
 * analysis_id) cost one lookup instead of a scan: a benchmark archives 100,000 documents.
 */
import { EJSON, ObjectId, type Document } from 'bson';
import { Query } from 'mingo';
import { badValue, MongoCommandError } from './mongoErrors.js';

export interface IndexSpec {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Document;
}

const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };
const INDEX_OPTIONS = ['unique', 'sparse', 'expireAfterSeconds', 'partialFilterExpression'] as const;

export function valueAt(document: Document, path: string): unknown {
  let value: unknown = document;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Document)[part];
  }
  return value;
}

/** A value's identity for unique indexes: canonical Extended JSON, so 1 and "1" differ and ObjectIds compare by value. */
const keyText = (values: unknown[]) => EJSON.stringify(values, { relaxed: false });

const isEnforced = (index: IndexSpec) => index.unique === true || index.name === '_id_';

export class Collection {
  documents: Document[] = [];
  indexes: IndexSpec[] = [{ ...ID_INDEX }];
  /** Per enforced (unique) index: its key text → the document holding it (documents the index applies to). */
  private readonly entries = new Map<string, Map<string, Document>>([[ID_INDEX.name, new Map()]]);

  constructor(readonly namespace: string) {}

  insert(document: Document): Document {
    const stored = document._id === undefined ? { _id: new ObjectId(), ...document } : document;
    this.assertUnique(stored, undefined);
    this.documents.push(stored);
    this.addEntries(stored);
    return stored;
  }

  replaceAt(position: number, document: Document): void {
    const previous = this.documents[position]!;
    this.assertUnique(document, previous);
    this.removeEntries(previous);
    this.documents[position] = document;
    this.addEntries(document);
  }

  removeAt(positions: number[]): void {
    const doomed = new Set(positions);
    for (const position of doomed) this.removeEntries(this.documents[position]!);
    this.documents = this.documents.filter((_, position) => !doomed.has(position));
  }

  /** Positions of matching documents, in natural (insertion) order. */
  matching(filter: Document | undefined): number[] {
    if (!filter || Object.keys(filter).length === 0) return this.documents.map((_, position) => position);
    const query = new Query(filter);
    const candidate = this.lookup(filter);
    if (candidate !== undefined) {
      if (candidate === null || !query.test(candidate)) return [];
      return [this.documents.indexOf(candidate)];
    }
    const positions: number[] = [];
    this.documents.forEach((document, position) => {
      if (query.test(document)) positions.push(position);
    });
    return positions;
  }

  /**
   * The one document that can match a filter holding a string equality on the field of a
   * plain single-field unique index (null: none can), or undefined when no index narrows it.
   */
  private lookup(filter: Document): Document | null | undefined {
    for (const index of this.indexes) {
      const fields = Object.keys(index.key);
      if (!isEnforced(index) || fields.length !== 1 || index.sparse || index.partialFilterExpression) continue;
      const value = filter[fields[0]!];
      if (typeof value !== 'string') continue;
      return this.entries.get(index.name)?.get(keyText([value])) ?? null;
    }
    return undefined;
  }

  createIndex(spec: Document): 'created' | 'exists' {
    if (typeof spec.name !== 'string' || typeof spec.key !== 'object' || spec.key === null)
      throw badValue('an index needs a key document and a name');
    const wanted: IndexSpec = { v: 2, key: spec.key as Document, name: spec.name };
    for (const option of INDEX_OPTIONS)
      if (spec[option] !== undefined && spec[option] !== false) (wanted as unknown as Document)[option] = spec[option];
    const sameName = this.indexes.find((index) => index.name === wanted.name);
    const sameKey = this.indexes.find((index) => keyText([index.key]) === keyText([wanted.key]));
    if (sameName && keyText([sameName.key]) !== keyText([wanted.key])) {
      throw new MongoCommandError(
        86,
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index but a different key: ${wanted.name}`,
      );
    }
    if (sameKey) {
      const options = (index: IndexSpec) => keyText(INDEX_OPTIONS.map((option) => index[option] ?? null));
      if (sameKey.name !== wanted.name || options(sameKey) !== options(wanted)) {
        throw new MongoCommandError(
          85,
          'IndexOptionsConflict',
          `An equivalent index already exists with a different name or options: ${sameKey.name}`,
        );
      }
      return 'exists';
    }
    if (isEnforced(wanted)) {
      const entries = new Map<string, Document>();
      for (const document of this.documents) {
        const key = this.keyFor(wanted, document);
        if (key === undefined) continue;
        if (entries.has(key)) throw this.duplicate(wanted, document);
        entries.set(key, document);
      }
      this.entries.set(wanted.name, entries);
    }
    this.indexes.push(wanted);
    return 'created';
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new MongoCommandError(72, 'InvalidOptions', 'cannot drop _id index');
    const before = this.indexes.length;
    this.indexes = this.indexes.filter((index) => index.name !== name);
    this.entries.delete(name);
    if (this.indexes.length === before)
      throw new MongoCommandError(27, 'IndexNotFound', `index not found with name [${name}]`);
  }

  /** The document's key text in an index, or undefined when the index does not apply to it (sparse, partial). */
  private keyFor(index: IndexSpec, document: Document): string | undefined {
    const fields = Object.keys(index.key);
    if (index.sparse && fields.every((field) => valueAt(document, field) === undefined)) return undefined;
    if (index.partialFilterExpression && !new Query(index.partialFilterExpression).test(document)) return undefined;
    return keyText(fields.map((field) => valueAt(document, field) ?? null));
  }

  private addEntries(document: Document): void {
    for (const index of this.indexes) {
      const key = isEnforced(index) ? this.keyFor(index, document) : undefined;
      if (key !== undefined) this.entries.get(index.name)?.set(key, document);
    }
  }

  private removeEntries(document: Document): void {
    for (const index of this.indexes) {
      const key = isEnforced(index) ? this.keyFor(index, document) : undefined;
      const entries = key === undefined ? undefined : this.entries.get(index.name);
      if (key !== undefined && entries?.get(key) === document) entries.delete(key);
    }
  }

  /** Refuses a document whose key in an enforced index another document (not `replacing`) holds. */
  private assertUnique(document: Document, replacing: Document | undefined): void {
    for (const index of this.indexes) {
      if (!isEnforced(index)) continue;
      const key = this.keyFor(index, document);
      if (key === undefined) continue;
      const holder = this.entries.get(index.name)?.get(key);
      if (holder !== undefined && holder !== replacing) throw this.duplicate(index, document);
    }
  }

  private duplicate(index: IndexSpec, document: Document): MongoCommandError {
    const fields = Object.keys(index.key);
    const values = fields.map((field) => valueAt(document, field) ?? null);
    const keyValue = Object.fromEntries(fields.map((field, at) => [field, values[at]]));
    const shown = fields.map((field, at) => `${field}: ${EJSON.stringify(values[at])}`).join(', ');
    return new MongoCommandError(
      11000,
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.namespace} index: ${index.name} dup key: { ${shown} }`,
      { keyPattern: index.key, keyValue },
    );
  }
}
