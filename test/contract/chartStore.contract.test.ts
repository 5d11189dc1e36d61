/** One contract for every chart store: the file store and GridFS (on a real MongoDB when MONGODB_URL is set, else the stand-in). */
import { mkdtemp, rm, stat, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChartFormat, ChartStore } from '../../storage/charts/chartStore.js';
import { createFileChartStore } from '../../storage/charts/fileChartStore.js';
import { createGridFsChartStore, type GridFsChartStore } from '../../storage/charts/gridFsChartStore.js';
import { startMongoTarget, type MongoTarget } from '../support/mongoTarget.js';

const chart = (label: string, size = 2000) => ({
  svg: `<svg xmlns="http://www.w3.org/2000/svg"><text>${label} ✓</text></svg>`,
  png: Uint8Array.from({ length: size }, (_, n) => (n * 7 + label.length) % 256),
});

let directory: string;
let target: MongoTarget;
let gridFs: GridFsChartStore;

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'candela-charts-'));
  target = await startMongoTarget('charts');
  gridFs = createGridFsChartStore(target.connection.db);
  await gridFs.ensureIndexes();
});

afterAll(async () => {
  await target.stop();
  await rm(directory, { recursive: true, force: true });
});

/** What retention reads as a stored file's age, and a way to make one older, per implementation. */
interface StoredAge {
  of(analysisId: string, format: ChartFormat): Promise<number>;
  backdate(analysisId: string, format: ChartFormat, when: Date): Promise<void>;
}

const fileAge: StoredAge = {
  of: async (analysisId, format) => (await stat(path.join(directory, `${analysisId}.${format}`))).mtimeMs,
  backdate: (analysisId, format, when) => utimes(path.join(directory, `${analysisId}.${format}`), when, when),
};

const gridFsAge: StoredAge = {
  async of(analysisId, format) {
    const file = await target.connection.db
      .collection('charts.files')
      .findOne({ 'metadata.analysis_id': analysisId, 'metadata.format': format });
    return (file!.uploadDate as Date).getTime();
  },
  async backdate(analysisId, format, when) {
    await target.connection.db
      .collection('charts.files')
      .updateOne({ 'metadata.analysis_id': analysisId, 'metadata.format': format }, { $set: { uploadDate: when } });
  },
};

const implementations: [string, () => ChartStore, StoredAge][] = [
  ['file store', () => createFileChartStore(directory), fileAge],
  ['GridFS', () => gridFs, gridFsAge],
];

describe.each(implementations)('chart store contract: %s', (_name, storeOf, age) => {
  test('a PNG added to a stored SVG takes its age, so retention deletes the two together', async () => {
    const store = storeOf();
    const { svg, png } = chart('added');
    await store.save('analysis_contract_added', { svg });
    const ended = new Date(Date.now() - 3 * 24 * 3600 * 1000);
    await age.backdate('analysis_contract_added', 'svg', ended);
    expect(await store.addPng('analysis_contract_added', png)).toBe(true);
    expect(Buffer.from(png).equals((await store.read('analysis_contract_added', 'png'))!)).toBe(true);
    expect((await store.read('analysis_contract_added', 'svg'))?.toString('utf8')).toBe(svg);
    expect(Math.abs((await age.of('analysis_contract_added', 'png')) - ended.getTime())).toBeLessThan(1000);
    expect(Math.abs((await age.of('analysis_contract_added', 'svg')) - ended.getTime())).toBeLessThan(1000);
  });

  test('a PNG for an analysis without a stored SVG is not added', async () => {
    const store = storeOf();
    expect(await store.addPng('analysis_contract_no_svg', chart('none').png)).toBe(false);
    expect(await store.read('analysis_contract_no_svg', 'png')).toBeUndefined();
  });

  test('save then read returns both files byte for byte', async () => {
    const store = storeOf();
    const rendered = chart('first', 300_000); // past GridFS's 255 KiB chunk: the read crosses a chunk boundary;
    const location = await store.save('analysis_contract_1', rendered);
    expect(location).toContain('analysis_contract_1');
    expect((await store.read('analysis_contract_1', 'svg'))?.toString('utf8')).toBe(rendered.svg);
    expect(Buffer.from(rendered.png).equals((await store.read('analysis_contract_1', 'png'))!)).toBe(true);
  });

  test('a chart saved as SVG alone has no PNG until it is saved again with one', async () => {
    const store = storeOf();
    const { svg, png } = chart('svg only');
    await store.save('analysis_contract_svg_only', { svg });
    expect((await store.read('analysis_contract_svg_only', 'svg'))?.toString('utf8')).toBe(svg);
    expect(await store.read('analysis_contract_svg_only', 'png')).toBeUndefined();
    await store.save('analysis_contract_svg_only', { svg, png });
    expect(Buffer.from(png).equals((await store.read('analysis_contract_svg_only', 'png'))!)).toBe(true);
    expect((await store.read('analysis_contract_svg_only', 'svg'))?.toString('utf8')).toBe(svg);
  });

  test('a chart never saved reads as undefined', async () => {
    expect(await storeOf().read('analysis_never_saved', 'png')).toBeUndefined();
  });

  test('saving again replaces both files', async () => {
    const store = storeOf();
    await store.save('analysis_contract_2', chart('old'));
    const replacement = chart('replacement', 500);
    await store.save('analysis_contract_2', replacement);
    expect((await store.read('analysis_contract_2', 'svg'))?.toString('utf8')).toBe(replacement.svg);
    expect((await store.read('analysis_contract_2', 'png'))?.length).toBe(500);
  });

  test('charts of different analyses saved at once stay apart', async () => {
    const store = storeOf();
    const ids = Array.from({ length: 6 }, (_, n) => `analysis_parallel_${n}`);
    await Promise.all(ids.map((id) => store.save(id, chart(id))));
    for (const id of ids) expect((await store.read(id, 'svg'))?.toString('utf8')).toBe(chart(id).svg);
  });

  test('an unsafe id is refused', async () => {
    const store = storeOf();
    await expect(store.save('../escape', chart('x'))).rejects.toThrow(/unsafe analysis id/);
    await expect(store.read('a/b', 'svg')).rejects.toThrow(/unsafe analysis id/);
  });
});

describe('GridFS chart store beyond the contract', () => {
  test(`streams a chart, keeps one file per format after replacement, and removes for retention (${process.env.MONGODB_URL ? 'real MongoDB' : 'stand-in'})`, async () => {
    await gridFs.save('analysis_gridfs_1', chart('one'));
    await gridFs.save('analysis_gridfs_1', chart('two', 4000));
    const files = target.connection.db.collection('charts.files');
    expect(await files.countDocuments({ 'metadata.analysis_id': 'analysis_gridfs_1' })).toBe(2);

    const stream = await gridFs.stream('analysis_gridfs_1', 'png');
    const chunks: Buffer[] = [];
    for await (const chunk of stream!) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(Buffer.from(chart('two', 4000).png))).toBe(true);
    expect(await gridFs.stream('analysis_gridfs_missing', 'svg')).toBeUndefined();

    expect(await gridFs.remove('analysis_gridfs_1')).toBe(2);
    expect(await gridFs.read('analysis_gridfs_1', 'svg')).toBeUndefined();

    await gridFs.save('analysis_gridfs_2', chart('kept'));
    const removed = await gridFs.removeOlderThan(new Date(Date.now() + 1000));
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(await files.countDocuments({})).toBe(0);
    expect(await target.connection.db.collection('charts.chunks').countDocuments({})).toBe(0);
  });
});
