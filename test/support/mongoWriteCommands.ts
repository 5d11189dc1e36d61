/** insert, update, delete and findAndModify of the MongoDB test stand-in, with per-statement write errors as a real server reports them. */
import type { Document } from 'bson';
import type { Collection } from './mongoCollection.js';
import type { MongoData } from './mongoDatabase.js';
import { badValue, MongoCommandError } from './mongoErrors.js';
import { applyUpdate, assertUpdateDocument, seedFromFilter } from './mongoUpdate.js';
import { Query } from 'mingo';

export interface CommandTarget {
  data: MongoData;
  namespace: string;
}

interface WriteError {
  index: number;
  code: number;
  codeName: string;
  errmsg: string;
  [detail: string]: unknown;
}

/** Runs each statement; an ordered batch stops at its first error, an unordered one carries on. */
function runStatements<T>(statements: T[], ordered: boolean, run: (statement: T) => void): WriteError[] {
  const errors: WriteError[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      run(statement);
    } catch (error) {
      if (!(error instanceof MongoCommandError)) throw error;
      errors.push({ index, code: error.code, codeName: error.codeName, errmsg: error.message, ...error.extra });
      if (ordered) break;
    }
  }
  return errors;
}

const withErrors = (reply: Document, errors: WriteError[]) =>
  errors.length > 0 ? { ...reply, writeErrors: errors } : reply;

const documentsOf = (command: Document, field: string): Document[] => {
  const value = command[field];
  if (!Array.isArray(value)) throw badValue(`'${field}' must be an array of documents`);
  return value as Document[];
};

export function insert({ data, namespace }: CommandTarget, command: Document): Document {
  const { collection } = data.writable(namespace);
  let n = 0;
  const errors = runStatements(documentsOf(command, 'documents'), command.ordered !== false, (document) => {
    collection.insert(document);
    n += 1;
  });
  return withErrors({ n, ok: 1 }, errors);
}

interface UpdateResult {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  document?: Document;
  previous?: Document;
}

/** Positions reordered by a sort document: findAndModify and an update's `sort` pick the first one. */
function sortedPositions(collection: Collection, positions: number[], sort: Document | undefined): number[] {
  if (!sort || positions.length < 2) return positions;
  const byDocument = new Map(positions.map((position) => [collection.documents[position]!, position]));
  const sorted = new Query<Document>({})
    .find<Document>([...byDocument.keys()])
    .sort(sort)
    .all();
  return sorted.map((document) => byDocument.get(document)!);
}

function updateMatching(
  collection: Collection,
  filter: Document,
  update: Document | Document[],
  options: { multi: boolean; upsert: boolean; arrayFilters?: Document[]; sort?: Document },
): UpdateResult {
  let positions = sortedPositions(collection, collection.matching(filter), options.sort);
  if (!options.multi) positions = positions.slice(0, 1);
  if (positions.length === 0) {
    if (!options.upsert) return { matched: 0, modified: 0 };
    const { document } = applyUpdate(seedFromFilter(filter), update, true, options.arrayFilters);
    const stored = collection.insert(document);
    return { matched: 0, modified: 0, upsertedId: stored._id, document: stored };
  }
  let modified = 0;
  let last: UpdateResult = { matched: positions.length, modified: 0 };
  for (const position of positions) {
    const previous = collection.documents[position]!;
    const outcome = applyUpdate(previous, update, false, options.arrayFilters);
    if (outcome.modified) {
      collection.replaceAt(position, outcome.document);
      modified += 1;
    }
    last = { matched: positions.length, modified, document: outcome.document, previous };
  }
  return last;
}

export function update({ data, namespace }: CommandTarget, command: Document): Document {
  const { collection } = data.writable(namespace);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const statements = documentsOf(command, 'updates');
  const errors = runStatements(statements, command.ordered !== false, (statement) => {
    if (statement.collation !== undefined) throw badValue('collation is not emulated by the MongoDB test stand-in');
    assertUpdateDocument(statement.u);
    const result = updateMatching(collection, (statement.q as Document) ?? {}, statement.u, {
      multi: statement.multi === true,
      upsert: statement.upsert === true,
      arrayFilters: statement.arrayFilters as Document[] | undefined,
      sort: statement.sort as Document | undefined,
    });
    if (result.upsertedId !== undefined) {
      upserted.push({ index: statements.indexOf(statement), _id: result.upsertedId });
      n += 1;
    } else {
      n += result.matched;
      nModified += result.modified;
    }
  });
  return withErrors({ n, nModified, ...(upserted.length > 0 ? { upserted } : {}), ok: 1 }, errors);
}

export function remove({ data, namespace }: CommandTarget, command: Document): Document {
  const collection = data.existing(namespace);
  let n = 0;
  const errors = runStatements(documentsOf(command, 'deletes'), command.ordered !== false, (statement) => {
    if (statement.collation !== undefined) throw badValue('collation is not emulated by the MongoDB test stand-in');
    if (!collection) return;
    let positions = collection.matching((statement.q as Document) ?? {});
    if (statement.limit === 1) positions = positions.slice(0, 1);
    collection.removeAt(positions);
    n += positions.length;
  });
  return withErrors({ n, ok: 1 }, errors);
}

export function findAndModify({ data, namespace }: CommandTarget, command: Document): Document {
  const { collection } = data.writable(namespace);
  const filter = (command.query as Document) ?? {};
  const projection = command.fields as Document | undefined;
  const project = (document: Document | undefined) =>
    (document && projection ? new Query<Document>({}).find<Document>([document], projection).all()[0] : document) ??
    null;
  if (command.remove === true) {
    const position = sortedPositions(collection, collection.matching(filter), command.sort as Document | undefined)[0];
    if (position === undefined) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    const removed = collection.documents[position]!;
    collection.removeAt([position]);
    return { lastErrorObject: { n: 1 }, value: project(removed), ok: 1 };
  }
  assertUpdateDocument(command.update);
  const result = updateMatching(collection, filter, command.update, {
    multi: false,
    upsert: command.upsert === true,
    arrayFilters: command.arrayFilters as Document[] | undefined,
    sort: command.sort as Document | undefined,
  });
  const upserted = result.upsertedId !== undefined;
  const value = command.new === true ? result.document : upserted ? undefined : result.previous;
  return {
    lastErrorObject: {
      n: upserted || result.matched > 0 ? 1 : 0,
      updatedExisting: result.matched > 0,
      ...(upserted ? { upserted: result.upsertedId } : {}),
    },
    value: project(value),
    ok: 1,
  };
}
