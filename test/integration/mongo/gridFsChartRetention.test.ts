/**
 * GridFS charts expire with their analysis: the retention sweep deletes charts uploaded longer
 * ago than the history TTL (entry and chunks), oldest first and a bounded number per call,
 * and keeps younger ones. Against a real MongoDB when MONGODB_URL is set, else the stand-in,
 * which, like this code, does not rely on TTL deletion. Chart files left on disk from before
 * MongoDB was configured still expire by the result TTL beside them.
 */
import { jest } from '@jest/globals';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bothChartSweeps } from '../../../storage/charts/bothChartSweeps.js';
import { createChartFileSweep } from '../../../storage/charts/chartFileSweep.js';
import { createGridFsChartStore, type GridFsChartStore } from '../../../storage/charts/gridFsChartStore.js';
import { createGridFsChartSweep } from '../../../storage/charts/gridFsChartSweep.js';
import { startMongoTarget, type MongoTarget } from '../../support/mongoTarget.js';

jest.setTimeout(120_000);

const TTL_SECONDS = 3600;
let target: MongoTarget;
let charts: GridFsChartStore;

beforeAll(async () => {
  target = await startMongoTarget('chart_retention');
  charts = createGridFsChartStore(target.connection.db);
  await charts.ensureIndexes();
});

afterAll(async () => {
  await target.stop();
});

const chart = (size: number) => ({ svg: '<svg/>', png: Uint8Array.from({ length: size }, (_, n) => n % 256) });
const files = () => target.connection.db.collection('charts.files');
const chunks = () => target.connection.db.collection('charts.chunks');

/** Backdates an analysis's chart files, as if uploaded `ageSeconds` ago. */
const age = (analysisId: string, ageSeconds: number) =>
  files().updateMany(
    { 'metadata.analysis_id': analysisId },
    { $set: { uploadDate: new Date(Date.now() - ageSeconds * 1000) } },
  );

test('charts older than the history TTL go with their chunks; younger ones stay', async () => {
  // 300 KB: more than one chunk, so orphaned chunks would show.
  await charts.save('analysis_old_chart', chart(300_000));
  await charts.save('analysis_young_chart', chart(300_000));
  await age('analysis_old_chart', TTL_SECONDS + 60);
  await age('analysis_young_chart', TTL_SECONDS - 60);
  const oldIds = (await files().find({ 'metadata.analysis_id': 'analysis_old_chart' }).toArray()).map((f) => f._id);
  expect(oldIds).toHaveLength(2);

  const sweep = createGridFsChartSweep(charts, TTL_SECONDS);
  expect(await sweep.sweep(Date.now(), 100)).toEqual({ examined: 2, deleted: 2 });

  expect(await charts.read('analysis_old_chart', 'png')).toBeUndefined();
  expect(await chunks().countDocuments({ files_id: { $in: oldIds } })).toBe(0);
  expect((await charts.read('analysis_young_chart', 'png'))?.length).toBe(300_000);
  expect(await files().countDocuments({ 'metadata.analysis_id': 'analysis_young_chart' })).toBe(2);
  expect(await sweep.sweep(Date.now(), 100)).toEqual({ examined: 0, deleted: 0 });
});

test('a bounded call deletes the oldest first; a TTL of 0 keeps every chart', async () => {
  for (const [n, ageSeconds] of [
    [1, TTL_SECONDS + 300],
    [2, TTL_SECONDS + 200],
    [3, TTL_SECONDS + 100],
  ] as const) {
    await charts.save(`analysis_batch_${n}`, chart(100));
    await age(`analysis_batch_${n}`, ageSeconds);
  }
  expect(await createGridFsChartSweep(charts, 0).sweep(Date.now(), 100)).toEqual({ examined: 0, deleted: 0 });
  expect(await files().countDocuments({ 'metadata.analysis_id': /^analysis_batch_/ })).toBe(6);

  const sweep = createGridFsChartSweep(charts, TTL_SECONDS);
  expect(await sweep.sweep(Date.now(), 3)).toEqual({ examined: 3, deleted: 3 });
  const left = await files()
    .find({ 'metadata.analysis_id': /^analysis_batch_/ })
    .toArray();
  expect([...new Set(left.map((file) => String(file.metadata?.analysis_id)))].sort()).toEqual([
    'analysis_batch_2',
    'analysis_batch_3',
  ]);
  expect(await files().countDocuments({ 'metadata.analysis_id': 'analysis_batch_2' })).toBe(1);
  expect(await sweep.sweep(Date.now(), 100)).toEqual({ examined: 3, deleted: 3 });
  expect(await files().countDocuments({ 'metadata.analysis_id': /^analysis_batch_/ })).toBe(0);
});

test('with MongoDB, chart files left on disk from before still expire by the result TTL, also while GridFS fails', async () => {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'candela-legacy-charts-'));
  try {
    const RESULT_TTL = 60;
    const old = new Date(Date.now() - (RESULT_TTL + 60) * 1000);
    for (const name of ['analysis_legacy_old.svg', 'analysis_legacy_old.png', 'analysis_legacy_young.svg']) {
      await writeFile(path.join(directory, name), '<svg/>');
      if (name.includes('_old')) await utimes(path.join(directory, name), old, old);
    }
    await charts.save('analysis_gridfs_beside', chart(100));
    await age('analysis_gridfs_beside', TTL_SECONDS + 60);

    const sweep = bothChartSweeps(
      createGridFsChartSweep(charts, TTL_SECONDS),
      createChartFileSweep(directory, RESULT_TTL),
    );
    expect((await sweep.sweep(Date.now(), 100)).deleted).toBe(4);
    expect(await files().countDocuments({ 'metadata.analysis_id': 'analysis_gridfs_beside' })).toBe(0);
    const remaining = createChartFileSweep(directory, RESULT_TTL);
    expect(await remaining.sweep(Date.now(), 100)).toEqual({ examined: 1, deleted: 0 });

    // MongoDB down: the files are still swept, and the failure is reported.
    await writeFile(path.join(directory, 'analysis_legacy_later.svg'), '<svg/>');
    await utimes(path.join(directory, 'analysis_legacy_later.svg'), old, old);
    const failing = { sweep: () => Promise.reject(new Error('MongoDB unreachable')), close: () => Promise.resolve() };
    const legacyFiles = createChartFileSweep(directory, RESULT_TTL);
    await expect(bothChartSweeps(failing, legacyFiles).sweep(Date.now(), 100)).rejects.toThrow('MongoDB unreachable');
    expect(await createChartFileSweep(directory, RESULT_TTL).sweep(Date.now(), 100)).toEqual({
      examined: 1,
      deleted: 0,
    });
    await sweep.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
