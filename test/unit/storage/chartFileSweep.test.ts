/**
 * The file store's chart sweep on a real directory: expired charts go, young ones stay, and a
 * new pass over the directory starts at most once per hundredth of the TTL.
 */
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createChartFileSweep } from '../../../storage/charts/chartFileSweep.js';

const TTL_SECONDS = 1000;
let directory: string;

async function chartFile(name: string, ageSeconds: number, now: number): Promise<void> {
  const file = path.join(directory, name);
  await writeFile(file, '<svg/>');
  const modified = new Date(now - ageSeconds * 1000);
  await utimes(file, modified, modified);
}

beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'candela-chart-sweep-'));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

test('a pass deletes the charts older than the TTL and keeps the others', async () => {
  const now = Date.now();
  await chartFile('analysis_old.svg', TTL_SECONDS + 5, now);
  await chartFile('analysis_old.png', TTL_SECONDS + 5, now);
  await chartFile('analysis_young.svg', TTL_SECONDS - 5, now);
  await writeFile(path.join(directory, 'notes.txt'), 'not a chart');

  const sweep = createChartFileSweep(directory, TTL_SECONDS);
  expect(await sweep.sweep(now, 100)).toEqual({ examined: 4, deleted: 2 });
  expect((await readdir(directory)).sort()).toEqual(['analysis_young.svg', 'notes.txt']);
  await sweep.close();
});

test('a new pass starts only once a hundredth of the TTL has passed since the last one began', async () => {
  const start = Date.now();
  await chartFile('analysis_a.svg', TTL_SECONDS + 5, start);
  const sweep = createChartFileSweep(directory, TTL_SECONDS);
  expect(await sweep.sweep(start, 100)).toEqual({ examined: 1, deleted: 1 });

  await chartFile('analysis_b.svg', TTL_SECONDS + 5, start);
  const spacingMs = TTL_SECONDS * 10;
  expect(await sweep.sweep(start + spacingMs - 1, 100)).toEqual({ examined: 0, deleted: 0 });
  expect(await readdir(directory)).toEqual(['analysis_b.svg']);
  expect(await sweep.sweep(start + spacingMs, 100)).toEqual({ examined: 1, deleted: 1 });
  await sweep.close();
});

test('a pass cut into bounded calls resumes where the last call stopped', async () => {
  const now = Date.now();
  for (const name of ['analysis_1.svg', 'analysis_2.svg', 'analysis_3.svg'])
    await chartFile(name, TTL_SECONDS + 5, now);
  const sweep = createChartFileSweep(directory, TTL_SECONDS);
  expect(await sweep.sweep(now, 2)).toEqual({ examined: 2, deleted: 2 });
  expect(await sweep.sweep(now, 2)).toEqual({ examined: 1, deleted: 1 });
  expect(await readdir(directory)).toEqual([]);
  await sweep.close();
});
