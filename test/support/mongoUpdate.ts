/**
 * Update semantics of the MongoDB test stand-in: replacement documents, operator updates
 * (through mingo, plus `$setOnInsert`, which mingo leaves to the server), aggregation-pipeline
 * updates, and the document an upsert inserts when nothing matched.
 */
import { BSON, EJSON, type Document } from 'bson';
import { update as applyOperators, updateOne as applyPipeline } from 'mingo';
import { badValue, MongoCommandError } from './mongoErrors.js';

export const cloneDocument = (document: Document): Document => BSON.deserialize(BSON.serialize(document));

const sameDocument = (left: Document, right: Document) =>
  EJSON.stringify(left, { relaxed: false }) === EJSON.stringify(right, { relaxed: false });

const isPlainObject = (value: unknown): value is Document =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

const isOperatorDocument = (value: unknown): value is Document =>
  isPlainObject(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => key.startsWith('$'));

function setPath(target: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Document;
  }
  node[parts[parts.length - 1]!] = value;
}

/** The equality fields of a filter, which MongoDB copies into the document an upsert inserts. */
export function seedFromFilter(filter: Document): Document {
  const seed: Document = {};
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value as Document[])
        for (const [path, fieldValue] of Object.entries(seedFromFilter(part))) setPath(seed, path, fieldValue);
    } else if (key.startsWith('$')) {
      continue;
    } else if (isOperatorDocument(value)) {
      if ('$eq' in value) setPath(seed, key, value.$eq);
    } else {
      setPath(seed, key, value);
    }
  }
  return seed;
}

export interface UpdateOutcome {
  document: Document;
  modified: boolean;
}

/**
 * Applies an update to a copy of `original` (the caller stores the result, so a failed
 * unique check leaves the stored document untouched). `inserting` marks an upsert's insert,
 * the only case in which `$setOnInsert` applies.
 */
export function applyUpdate(
  original: Document,
  update: Document | Document[],
  inserting: boolean,
  arrayFilters?: Document[],
): UpdateOutcome {
  const before = cloneDocument(original);
  let after: Document;
  if (Array.isArray(update)) {
    const documents = [cloneDocument(original)];
    applyPipeline(documents, {}, update as Parameters<typeof applyPipeline>[2]);
    after = documents[0]!;
  } else if (!Object.keys(update).some((key) => key.startsWith('$'))) {
    after = original._id === undefined ? cloneDocument(update) : { _id: original._id, ...cloneDocument(update) };
  } else {
    const { $setOnInsert: onInsert, ...operators } = update;
    after = cloneDocument(original);
    if (inserting && isPlainObject(onInsert)) applyOperators(after, { $set: onInsert });
    if (Object.keys(operators).length > 0) applyOperators(after, operators, arrayFilters);
  }
  if (original._id !== undefined && !sameDocument({ id: after._id }, { id: original._id })) {
    throw new MongoCommandError(
      66,
      'ImmutableField',
      "Performing an update on the path '_id' would modify the immutable field '_id'",
    );
  }
  return { document: after, modified: !sameDocument(before, after) };
}

export function assertUpdateDocument(update: unknown): asserts update is Document | Document[] {
  if (!Array.isArray(update) && !isPlainObject(update))
    throw badValue('an update must be a document or an aggregation pipeline');
}
