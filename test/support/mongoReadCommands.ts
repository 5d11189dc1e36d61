/** find, getMore, aggregate and count of the MongoDB test stand-in, with query and aggregation semantics from mingo. */
import type { Document } from 'bson';
import { Aggregator, Query } from 'mingo';
import type { CursorRegistry } from './mongoCursors.js';
import { badValue, notEmulated } from './mongoErrors.js';
import type { CommandTarget } from './mongoWriteCommands.js';

/** Stages whose semantics the stand-in takes from mingo; the driver's countDocuments needs $match, $skip, $limit and $group. */
const PIPELINE_STAGES = new Set([
  '$match',
  '$group',
  '$count',
  '$sort',
  '$skip',
  '$limit',
  '$project',
  '$addFields',
  '$set',
  '$unset',
  '$unwind',
]);

const positiveOrUndefined = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);

export function find({ data, namespace }: CommandTarget, command: Document, cursors: CursorRegistry): Document {
  for (const option of ['collation', 'tailable', 'awaitData', 'min', 'max', 'returnKey', 'showRecordId']) {
    if (command[option] !== undefined && command[option] !== false) throw notEmulated(`find option '${option}'`);
  }
  const collection = data.readable(namespace);
  const positions = collection.matching(command.filter as Document | undefined);
  let cursor = new Query<Document>({}).find<Document>(
    positions.map((position) => collection.documents[position]!),
    command.projection as Document | undefined,
  );
  if (command.sort && Object.keys(command.sort as Document).length > 0)
    cursor = cursor.sort(command.sort as Record<string, 1 | -1>);
  const skip = positiveOrUndefined(command.skip);
  if (skip) cursor = cursor.skip(skip);
  const limit = positiveOrUndefined(command.limit);
  if (limit) cursor = cursor.limit(limit);
  return cursors.start(namespace, cursor.all(), positiveOrUndefined(command.batchSize), command.singleBatch === true);
}

export function getMore({ namespace }: CommandTarget, command: Document, cursors: CursorRegistry): Document {
  return cursors.getMore(Number(command.getMore), namespace, positiveOrUndefined(command.batchSize));
}

export function aggregate({ data, namespace }: CommandTarget, command: Document, cursors: CursorRegistry): Document {
  if (!Array.isArray(command.pipeline)) throw badValue("'pipeline' must be an array of stages");
  const pipeline = command.pipeline as Document[];
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0] ?? '';
    if (!PIPELINE_STAGES.has(name)) throw notEmulated(`aggregation stage '${name}'`);
  }
  if (command.collation !== undefined) throw notEmulated('aggregate option collation');
  const collection = data.readable(namespace);
  const results = new Aggregator(pipeline).run<Document>(collection.documents);
  const cursorOptions = (command.cursor as Document | undefined) ?? {};
  return cursors.start(namespace, results, positiveOrUndefined(cursorOptions.batchSize));
}

export function count({ data, namespace }: CommandTarget, command: Document): Document {
  const collection = data.readable(namespace);
  let n = collection.matching(command.query as Document | undefined).length;
  n = Math.max(0, n - (positiveOrUndefined(command.skip) ?? 0));
  const limit = positiveOrUndefined(command.limit);
  if (limit) n = Math.min(n, limit);
  return { n, ok: 1 };
}
