/** GET /charts/{id}.{svg,png}?expires=&signature=: a chart file for a valid signed URL; anything else is 404. */
import type { ServerResponse } from 'node:http';
import type { ApiServices } from '../apiServices.js';
import { sendJson } from '../rest/httpResponses.js';
import { parseChartPath } from '../../storage/charts/chartPath.js';

const CONTENT_TYPES = { svg: 'image/svg+xml', png: 'image/png' } as const;

export async function serveChart(services: ApiServices, url: URL, res: ServerResponse): Promise<void> {
  const ref = parseChartPath(url.pathname);
  const file =
    ref && services.chartSigner.verify(ref, url.searchParams)
      ? await services.charts.read(ref.analysisId, ref.format)
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
  res.end(file);
}
