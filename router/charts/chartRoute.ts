/** GET /charts/{id}.{svg,png}?expires=&signature=: a chart file for a valid signed URL; anything else is 404. */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ApiServices } from '../apiServices.js';
import { sendJson } from '../rest/httpResponses.js';
import { parseChartPath } from '../../storage/charts/chartPath.js';
import { openChart } from '../../storage/charts/openChart.js';

const CONTENT_TYPES = { svg: 'image/svg+xml', png: 'image/png' } as const;

export async function serveChart(services: ApiServices, url: URL, res: ServerResponse): Promise<void> {
  const ref = parseChartPath(url.pathname);
  // Streamed (GridFS chunks straight to the socket), so a large chart is never held whole in the API's memory.
  const file =
    ref && services.chartSigner.verify(ref, url.searchParams)
      ? await openChart(services.charts, ref.analysisId, ref.format)
      : undefined;
  if (!ref || !file) {
    sendJson(res, 404, {
      error: 'NOT_FOUND',
      message: 'no such chart, or its link expired',
      detail: 'no such chart, or its link expired',
    });
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[ref.format],
    'content-length': file.length,
    'cache-control': 'private, max-age=300',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  });
  // A failure mid-body destroys the response (the client sees a short body against Content-Length), never a second status.
  await pipeline(file.stream, res).catch(() => undefined);
}
