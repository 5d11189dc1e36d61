/** Handshake, diagnostics, index and collection management of the MongoDB test stand-in. */
import { type Long, type Document } from 'bson';
import type { CursorRegistry } from './mongoCursors.js';
import type { MongoData } from './mongoDatabase.js';
import { badValue, MongoCommandError, notEmulated } from './mongoErrors.js';
import type { CommandTarget } from './mongoWriteCommands.js';

export const STAND_IN_VERSION = '7.0.0';

/**
 * A standalone server. No `topologyVersion`, so the driver polls instead of streaming its
 * heartbeats; no `setName`, so it never asks for transactions or retryable writes;
 * `logicalSessionTimeoutMinutes`, so it sends sessions like it does to a real server.
 */
export function hello(connectionId: number): Document {
  return {
    helloOk: true,
    isWritablePrimary: true,
    ismaster: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  };
}

export function buildInfo(): Document {
  return {
    version: STAND_IN_VERSION,
    versionArray: [7, 0, 0, 0],
    gitVersion: 'candela-test-stand-in',
    bits: 64,
    maxBsonObjectSize: 16 * 1024 * 1024,
    ok: 1,
  };
}

export function createIndexes({ data, namespace }: CommandTarget, command: Document): Document {
  if (!Array.isArray(command.indexes) || command.indexes.length === 0)
    throw badValue("'indexes' must be a non-empty array");
  const { collection, created } = data.writable(namespace);
  const numIndexesBefore = collection.indexes.length;
  const outcomes = (command.indexes as Document[]).map((spec) => collection.createIndex(spec));
  const note = outcomes.every((outcome) => outcome === 'exists') ? { note: 'all indexes already exist' } : {};
  return {
    createdCollectionAutomatically: created,
    numIndexesBefore,
    numIndexesAfter: collection.indexes.length,
    ...note,
    ok: 1,
  };
}

export function listIndexes({ data, namespace }: CommandTarget, command: Document, cursors: CursorRegistry): Document {
  const collection = data.required(namespace);
  const batchSize = (command.cursor as Document | undefined)?.batchSize;
  return cursors.start(
    namespace,
    collection.indexes,
    typeof batchSize === 'number' && batchSize > 0 ? batchSize : undefined,
  );
}

export function dropIndexes({ data, namespace }: CommandTarget, command: Document): Document {
  const collection = data.required(namespace);
  const nIndexesWas = collection.indexes.length;
  const target = command.index;
  const names =
    target === '*'
      ? collection.indexes.filter((index) => index.name !== '_id_').map((index) => index.name)
      : typeof target === 'string'
        ? [target]
        : Array.isArray(target)
          ? (target as string[])
          : collection.indexes
              .filter((index) => JSON.stringify(index.key) === JSON.stringify(target))
              .map((index) => index.name);
  if (names.length === 0)
    throw new MongoCommandError(27, 'IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
  for (const name of names) collection.dropIndex(name);
  return { nIndexesWas, ok: 1 };
}

/** Only the one collMod a deployment needs: changing a TTL index's expireAfterSeconds. */
export function collMod({ data, namespace }: CommandTarget, command: Document): Document {
  const collection = data.required(namespace);
  const change = command.index as Document | undefined;
  const others = Object.keys(command).filter(
    (key) => !['collMod', 'index', '$db', 'lsid', '$readPreference', 'writeConcern', 'comment'].includes(key),
  );
  if (!change || others.length > 0 || typeof change.expireAfterSeconds !== 'number')
    throw notEmulated(`collMod other than index.expireAfterSeconds (${others.join(', ') || 'no index given'})`);
  const index = collection.indexes.find((candidate) =>
    change.name !== undefined
      ? candidate.name === change.name
      : JSON.stringify(candidate.key) === JSON.stringify(change.keyPattern),
  );
  if (!index)
    throw new MongoCommandError(
      27,
      'IndexNotFound',
      `cannot find index ${JSON.stringify(change.name ?? change.keyPattern)} for ns ${namespace}`,
    );
  if (index.expireAfterSeconds === undefined)
    throw new MongoCommandError(72, 'InvalidOptions', 'no expireAfterSeconds field to update');
  const old = index.expireAfterSeconds;
  index.expireAfterSeconds = change.expireAfterSeconds;
  return { expireAfterSeconds_old: old, expireAfterSeconds_new: change.expireAfterSeconds, ok: 1 };
}

export function drop({ data, namespace }: CommandTarget): Document {
  const dropped = data.drop(namespace);
  return { nIndexesWas: dropped.indexes.length, ns: namespace, ok: 1 };
}

export function dropDatabase(data: MongoData, database: string): Document {
  data.dropDatabase(database);
  return { dropped: database, ok: 1 };
}

export function killCursors(command: Document, cursors: CursorRegistry): Document {
  const ids = Array.isArray(command.cursors) ? (command.cursors as (number | Long)[]).map((id) => Number(id)) : [];
  return cursors.kill(ids);
}
