import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'candela-charts-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

test('saves both files and reads them back', async () => {
  const directory = path.join(root, 'charts');
  const store = createFileChartStore(directory);
  const where = await store.save('analysis_01TEST', { svg: '<svg/>', png: new Uint8Array([137, 80, 78, 71]) });
  expect(where).toBe(path.resolve(directory, 'analysis_01TEST.svg'));
  expect((await store.read('analysis_01TEST', 'svg'))?.toString()).toBe('<svg/>');
  expect([...((await store.read('analysis_01TEST', 'png')) ?? [])]).toEqual([137, 80, 78, 71]);
  expect((await readdir(directory)).sort()).toEqual(['analysis_01TEST.png', 'analysis_01TEST.svg']);
});

test('an unknown chart is undefined; an unsafe id is refused', async () => {
  const store = createFileChartStore(path.join(root, 'charts'));
  expect(await store.read('analysis_missing', 'png')).toBeUndefined();
  await expect(store.read('../etc/passwd', 'svg')).rejects.toThrow(/unsafe analysis id/);
});

test('makes its directory on the first save, and again after it was removed', async () => {
  const directory = path.join(root, 'nested', 'charts');
  const store = createFileChartStore(directory);
  await store.save('analysis_01FIRST', { svg: '<svg/>' });
  await rm(path.join(root, 'nested'), { recursive: true });
  await store.save('analysis_01AGAIN', { svg: '<svg id="again"/>' });
  expect(await readdir(directory)).toEqual(['analysis_01AGAIN.svg']);
  expect((await store.read('analysis_01AGAIN', 'svg'))?.toString()).toBe('<svg id="again"/>');
});

test('a directory that cannot be made fails the save', async () => {
  const blocker = path.join(root, 'a-file');
  await writeFile(blocker, 'not a directory');
  const store = createFileChartStore(path.join(blocker, 'charts'));
  await expect(store.save('analysis_01BLOCKED', { svg: '<svg/>' })).rejects.toThrow(/ENOTDIR|EEXIST/);
});
