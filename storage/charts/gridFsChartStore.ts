/**
 * Charts in MongoDB's GridFS (bucket `charts`), one file per analysis and format, named
 * `{analysis_id}.{svg,png}`. A new chart is uploaded before the previous one is deleted, and
 * GridFS writes a file's entry only after all its chunks, so a reader finds the old chart
 * or the new one, never half of one. GridFS has no TTL of its own (a TTL on the files
 * collection would orphan the chunks), so retention deletes through `removeOlderThan`.
 */
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { GridFSBucket, MongoRuntimeError, type Db, type ObjectId } from 'mongodb';
import type { ChartFormat, ChartStore, OpenedChart, RenderedChart } from './chartStore.js';

export const CHART_BUCKET = 'charts';

const SAFE_ID = /^[A-Za-z0-9_-]+$/;
const CONTENT_TYPES: Record<ChartFormat, string> = { svg: 'image/svg+xml', png: 'image/png' };

export interface ChartMetadata {
  analysis_id: string;
  format: ChartFormat;
  contentType: string;
}

export interface GridFsChartStore extends ChartStore {
  /** The newest stored chart, streamed chunk by chunk, with its length; its first chunk is already in hand. */
  open(analysisId: string, format: ChartFormat): Promise<OpenedChart | undefined>;
  /** The newest stored chart as a stream of its chunks, for serving without buffering it whole. */
  stream(analysisId: string, format: ChartFormat): Promise<Readable | undefined>;
  /** Deletes both files of an analysis; returns how many files went. */
  remove(analysisId: string): Promise<number>;
  /** Retention: deletes charts uploaded before `cutoff`, oldest first, at most `limit` files; returns how many went. */
  removeOlderThan(cutoff: Date, limit?: number): Promise<number>;
  /** The indexes retention and removal look files up by (GridFS adds its own on first upload). */
  ensureIndexes(): Promise<void>;
}

const fileName = (analysisId: string, format: ChartFormat) => {
  if (!SAFE_ID.test(analysisId))
    throw new Error(
      `unsafe analysis id for a chart file: ${JSON.stringify(analysisId)} (letters, digits, _ and - only)`,
    );
  return `${analysisId}.${format}`;
};

/** Another remover got there first; the file is gone either way. */
const isAlreadyGone = (error: unknown) => error instanceof MongoRuntimeError && /File not found/i.test(error.message);

const isFileNotFound = (error: unknown) => error instanceof MongoRuntimeError && /FileNotFound/.test(error.message);

export function createGridFsChartStore(db: Db, options: { bucketName?: string } = {}): GridFsChartStore {
  const bucketName = options.bucketName ?? CHART_BUCKET;
  const bucket = new GridFSBucket(db, { bucketName });
  const files = db.collection(`${bucketName}.files`);

  const upload = (analysisId: string, format: ChartFormat, data: Uint8Array) =>
    new Promise<ObjectId>((resolve, reject) => {
      const metadata: ChartMetadata = { analysis_id: analysisId, format, contentType: CONTENT_TYPES[format] };
      const stream = bucket.openUploadStream(fileName(analysisId, format), { metadata });
      stream.once('finish', () => resolve(stream.id));
      stream.once('error', reject);
      stream.end(Buffer.from(data));
    });

  const newestFile = async (
    analysisId: string,
    format: ChartFormat,
  ): Promise<{ _id: ObjectId; length: number; uploadDate: Date } | undefined> => {
    // _id breaks ties between uploads in the same millisecond: ObjectIds grow within a process.
    const newest = await files
      .find({ filename: fileName(analysisId, format) }, { projection: { _id: 1, length: 1, uploadDate: 1 } })
      .sort({ uploadDate: -1, _id: -1 })
      .limit(1)
      .next();
    return newest
      ? { _id: newest._id, length: Number(newest.length), uploadDate: newest.uploadDate as Date }
      : undefined;
  };

  const deleteFiles = async (ids: ObjectId[]) => {
    let deleted = 0;
    for (const id of ids) {
      try {
        await bucket.delete(id);
        deleted += 1;
      } catch (error) {
        if (!isAlreadyGone(error)) throw error;
      }
    }
    return deleted;
  };

  const idsOf = async (filter: Record<string, unknown>) =>
    (await files.find(filter, { projection: { _id: 1 } }).toArray()).map((file) => file._id);

  const store: GridFsChartStore = {
    async save(analysisId: string, chart: RenderedChart) {
      fileName(analysisId, 'svg');
      const previous = await idsOf({ 'metadata.analysis_id': analysisId });
      const png = chart.png;
      await Promise.all([
        upload(analysisId, 'svg', Buffer.from(chart.svg, 'utf8')),
        ...(png ? [upload(analysisId, 'png', png)] : []),
      ]);
      await deleteFiles(previous);
      return `gridfs://${bucketName}/${fileName(analysisId, 'svg')}`;
    },

    async addPng(analysisId: string, png: Uint8Array) {
      const svg = await newestFile(analysisId, 'svg');
      if (!svg) return false;
      const previous = await idsOf({ 'metadata.analysis_id': analysisId, 'metadata.format': 'png' });
      const added = await upload(analysisId, 'png', png);
      // Retention deletes by upload date: the PNG takes its SVG's, so the two go together.
      await files.updateOne({ _id: added }, { $set: { uploadDate: svg.uploadDate } });
      await deleteFiles(previous);
      return true;
    },

    async stream(analysisId: string, format: ChartFormat) {
      const file = await newestFile(analysisId, format);
      return file ? bucket.openDownloadStream(file._id) : undefined;
    },

    async open(analysisId: string, format: ChartFormat) {
      // A chart replaced between the lookup and the first chunk is looked up again: the new one is there.
      // Waiting for the first chunk means a caller starts its response only once the file is known to be readable.
      for (let attempt = 1; ; attempt += 1) {
        const file = await newestFile(analysisId, format);
        if (!file) return undefined;
        const stream = bucket.openDownloadStream(file._id);
        try {
          await once(stream, 'readable');
          return { stream, length: file.length };
        } catch (error) {
          stream.destroy();
          if (attempt >= 3 || !isFileNotFound(error)) throw error;
        }
      }
    },

    async read(analysisId: string, format: ChartFormat) {
      // A chart replaced between the lookup and the download is read again: the new one is there.
      for (let attempt = 1; ; attempt += 1) {
        const stream = await store.stream(analysisId, format);
        if (!stream) return undefined;
        try {
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          return Buffer.concat(chunks);
        } catch (error) {
          if (attempt >= 3 || !isFileNotFound(error)) throw error;
        }
      }
    },

    async remove(analysisId: string) {
      fileName(analysisId, 'svg');
      return deleteFiles(await idsOf({ 'metadata.analysis_id': analysisId }));
    },

    async removeOlderThan(cutoff: Date, limit = 0) {
      // The upload_date index serves this range, oldest first, so a bounded call makes steady progress.
      const doomed = await files
        .find({ uploadDate: { $lt: cutoff } }, { projection: { _id: 1 } })
        .sort({ uploadDate: 1 })
        .limit(Math.max(0, limit))
        .toArray();
      return deleteFiles(doomed.map((file) => file._id));
    },

    async ensureIndexes() {
      await files.createIndexes([
        { key: { 'metadata.analysis_id': 1 }, name: 'analysis_id' },
        { key: { uploadDate: 1 }, name: 'upload_date' },
      ]);
    },
  };
  return store;
}
