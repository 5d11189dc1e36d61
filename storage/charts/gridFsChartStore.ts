/**
 * Charts in MongoDB's GridFS (bucket `charts`), one file per analysis and format, named
 * `{analysis_id}.{svg,png}`. A new chart is uploaded before the previous one is deleted, and
 * GridFS writes a file's entry only after all its chunks, so a reader finds the old chart
 * or the new one, never half of one. GridFS has no TTL of its own (a TTL on the files
 * collection would orphan the chunks), so retention deletes through `removeOlderThan`.
 */
import type { Readable } from 'node:stream';
import { GridFSBucket, MongoRuntimeError, type Db, type ObjectId } from 'mongodb';
import type { ChartFormat, ChartStore, RenderedChart } from './chartStore.js';

export const CHART_BUCKET = 'charts';

const SAFE_ID = /^[A-Za-z0-9_-]+$/;
const CONTENT_TYPES: Record<ChartFormat, string> = { svg: 'image/svg+xml', png: 'image/png' };

export interface ChartMetadata {
  analysis_id: string;
  format: ChartFormat;
  contentType: string;
}

export interface GridFsChartStore extends ChartStore {
  /** The newest stored chart as a stream of its chunks, for serving without buffering it whole. */
  stream(analysisId: string, format: ChartFormat): Promise<Readable | undefined>;
  /** Deletes both files of an analysis; returns how many files went. */
  remove(analysisId: string): Promise<number>;
  /** Retention: deletes every chart uploaded before `cutoff`; returns how many files went. */
  removeOlderThan(cutoff: Date): Promise<number>;
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
    new Promise<void>((resolve, reject) => {
      const metadata: ChartMetadata = { analysis_id: analysisId, format, contentType: CONTENT_TYPES[format] };
      const stream = bucket.openUploadStream(fileName(analysisId, format), { metadata });
      stream.once('finish', () => resolve());
      stream.once('error', reject);
      stream.end(Buffer.from(data));
    });

  const newestFileId = async (analysisId: string, format: ChartFormat): Promise<ObjectId | undefined> => {
    // _id breaks ties between uploads in the same millisecond: ObjectIds grow within a process.
    const newest = await files
      .find({ filename: fileName(analysisId, format) }, { projection: { _id: 1 } })
      .sort({ uploadDate: -1, _id: -1 })
      .limit(1)
      .next();
    return newest ? newest._id : undefined;
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

    async stream(analysisId: string, format: ChartFormat) {
      const id = await newestFileId(analysisId, format);
      return id ? bucket.openDownloadStream(id) : undefined;
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

    async removeOlderThan(cutoff: Date) {
      return deleteFiles(await idsOf({ uploadDate: { $lt: cutoff } }));
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
