/**
 * /charts/{id}.{svg,png} with GridFS behind it: the route streams the file chunk by chunk
 * (never through the store's buffering read), with its Content-Length, and a chart larger
 * than one GridFS chunk (255 KiB) arrives intact.
 */
import http from 'node:http';
import { jest } from '@jest/globals';
import { createFallbackChartStore } from '../../../storage/charts/fallbackChartStore.js';
import { chartDirectory } from '../../../storage/charts/chartDirectories.js';
import { createFileChartStore } from '../../../storage/charts/fileChartStore.js';
import { createGridFsChartStore, type GridFsChartStore } from '../../../storage/charts/gridFsChartStore.js';
import { newAnalysisId } from '../../../storage/jobQueue.js';
import { startMongoTarget, type MongoTarget } from '../../support/mongoTarget.js';
import { type InProcessApi, startInProcessApi } from './inProcessApi.js';

jest.setTimeout(120_000);

let api: InProcessApi;
let target: MongoTarget;
let gridFs: GridFsChartStore;
let baseUrl: string;
let bufferedReads = 0;
const bigId = newAnalysisId();
const fileId = newAnalysisId();

beforeAll(async () => {
  [api, target] = await Promise.all([startInProcessApi(), startMongoTarget('chart_route')]);
  gridFs = createGridFsChartStore(target.connection.db);
  await gridFs.ensureIndexes();
  // Counts reads that would buffer the whole file: the route must not make any.
  const counted: GridFsChartStore = {
    ...gridFs,
    read: (analysisId, format) => {
      bufferedReads += 1;
      return gridFs.read(analysisId, format);
    },
  };
  api.services.charts = createFallbackChartStore(
    counted,
    createFileChartStore(chartDirectory(api.services.config.DATA_DIR)),
  );
  baseUrl = await api.serve();
});

afterAll(async () => {
  await api.stop();
  await target.stop();
});

function get(path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(new URL(path, baseUrl), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

test('a PNG of three GridFS chunks and its SVG are streamed intact with their Content-Length', async () => {
  const png = Uint8Array.from({ length: 700_000 }, (_, n) => (n * 31 + (n >> 9)) % 256);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg">${'<rect width="1" height="1"/>'.repeat(12_000)}</svg>`;
  await gridFs.save(bigId, { svg, png });
  expect(await target.connection.db.collection('charts.chunks').countDocuments({})).toBeGreaterThanOrEqual(3 + 2);

  const pngReply = await get(api.services.chartSigner.sign({ analysisId: bigId, format: 'png' }));
  expect(pngReply.status).toBe(200);
  expect(pngReply.headers['content-type']).toBe('image/png');
  expect(pngReply.headers['content-length']).toBe(String(png.length));
  expect(pngReply.body.equals(Buffer.from(png))).toBe(true);

  const svgReply = await get(api.services.chartSigner.sign({ analysisId: bigId, format: 'svg' }));
  expect(svgReply.status).toBe(200);
  expect(svgReply.headers['content-length']).toBe(String(Buffer.byteLength(svg)));
  expect(svgReply.body.toString('utf8')).toBe(svg);
  expect(bufferedReads).toBe(0);
});

test('a chart in neither store, or an unsigned link, is 404', async () => {
  expect((await get(api.services.chartSigner.sign({ analysisId: newAnalysisId(), format: 'png' }))).status).toBe(404);
  expect((await get(`/charts/${bigId}.png`)).status).toBe(404);
});

test('a chart only in the file store is still served through the same route', async () => {
  await createFileChartStore(chartDirectory(api.services.config.DATA_DIR)).save(fileId, {
    svg: '<svg/>',
    png: new Uint8Array([9, 8, 7]),
  });
  const reply = await get(api.services.chartSigner.sign({ analysisId: fileId, format: 'png' }));
  expect(reply.status).toBe(200);
  expect(reply.headers['content-length']).toBe('3');
  expect([...reply.body]).toEqual([9, 8, 7]);
});
