/**
 * One in-memory collection of the MongoDB test stand-in: its documents in insertion order and
 * its indexes. Indexes are not used for lookups (every query scans); they exist to be listed,
 * conflict-checked and, when unique, enforced on every write like a real server does.
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

export class Collection {
  documents: Document[] = [];
  indexes: IndexSpec[] = [{ ...ID_INDEX }];

  constructor(readonly namespace: string) {}

  insert(document: Document): Document {
    const stored = document._id === undefined ? { _id: new ObjectId(), ...document } : document;
    this.assertUnique(stored, -1);
    this.documents.push(stored);
    return stored;
  }

  replaceAt(position: number, document: Document): void {
    this.assertUnique(document, position);
    this.documents[position] = document;
  }

  removeAt(positions: number[]): void {
    const doomed = new Set(positions);
    this.documents = this.documents.filter((_, position) => !doomed.has(position));
  }

  /** Positions of matching documents, in natural (insertion) order. */
  matching(filter: Document | undefined): number[] {
    const query = new Query(filter ?? {});
    const positions: number[] = [];
    this.documents.forEach((document, position) => {
      if (query.test(document)) positions.push(position);
    });
    return positions;
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
    this.documents.forEach((document, position) => this.assertUniqueFor(wanted, document, position));
    this.indexes.push(wanted);
    return 'created';
  }

  dropIndex(name: string): void {
    if (name === '_id_') throw new MongoCommandError(72, 'InvalidOptions', 'cannot drop _id index');
    const before = this.indexes.length;
    this.indexes = this.indexes.filter((index) => index.name !== name);
    if (this.indexes.length === before)
      throw new MongoCommandError(27, 'IndexNotFound', `index not found with name [${name}]`);
  }

  private assertUnique(document: Document, ownPosition: number): void {
    for (const index of this.indexes)
      if (index.unique || index.name === '_id_') this.assertUniqueFor(index, document, ownPosition);
  }

  private assertUniqueFor(index: IndexSpec, document: Document, ownPosition: number): void {
    const fields = Object.keys(index.key);
    const applies = (candidate: Document) =>
      (!index.sparse || fields.some((field) => valueAt(candidate, field) !== undefined)) &&
      (!index.partialFilterExpression || new Query(index.partialFilterExpression).test(candidate));
    if (!applies(document)) return;
    const values = fields.map((field) => valueAt(document, field) ?? null);
    const wanted = keyText(values);
    const clash = this.documents.some(
      (other, position) =>
        position !== ownPosition &&
        applies(other) &&
        keyText(fields.map((field) => valueAt(other, field) ?? null)) === wanted,
    );
    if (!clash) return;
    const keyValue = Object.fromEntries(fields.map((field, at) => [field, values[at]]));
    const shown = fields.map((field, at) => `${field}: ${EJSON.stringify(values[at])}`).join(', ');
    throw new MongoCommandError(
      11000,
      'DuplicateKey',
      `E11000 duplicate key error collection: ${this.namespace} index: ${index.name} dup key: { ${shown} }`,
      {
        keyPattern: index.key,
        keyValue,
      },
    );
  }
}
