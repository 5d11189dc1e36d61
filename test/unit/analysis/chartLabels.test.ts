/** The chart shows patterns honestly: failed ones as failed, labels that never collide, trend and warm-up drawn. */
import { writeFileSync } from 'node:fs';
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import { renderChartSvg } from '../../../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../../../integrations/chartRasterizer.js';
import { seriesOf, typedTraderCandles } from './candleBuilders.js';

const candles = typedTraderCandles('urth-2025-1h');
const series = {
  ...seriesOf(candles.slice(-400)),
  symbol: 'URTH',
  timeframe: '60d',
  warmup: candles.slice(-601, -400),
};
const report = analyzeSeries(series);
const svg = renderChartSvg(series, report);

const boxes = (markup: string) =>
  [...markup.matchAll(/data-box="([\d.-]+) ([\d.-]+) ([\d.-]+) ([\d.-]+)"/g)].map((match) => ({
    x: Number(match[1]),
    y: Number(match[2]),
    width: Number(match[3]),
    height: Number(match[4]),
  }));

test('no two label boxes overlap', () => {
  const placed = boxes(svg);
  expect(placed.length).toBeGreaterThan(3);
  for (let a = 0; a < placed.length; a += 1) {
    for (let b = a + 1; b < placed.length; b += 1) {
      const [p, q] = [placed[a]!, placed[b]!];
      const overlap = p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
      expect({ a: p, b: q, overlap }).toEqual({ a: p, b: q, overlap: false });
    }
  }
});

test('labels carry a halo', () => {
  expect(svg).toMatch(/class="pattern-label"[^>]*stroke="#ffffff"[^>]*paint-order="stroke"/);
});

test('failed patterns are drawn as failed, neutral single-candle hits only on demand', () => {
  const failed = report.chartPatterns.filter((hit) => hit.pattern !== 'breakout' && hit.status === 'failed').slice(-8);
  if (failed.length > 0) {
    expect(svg).toContain('status-failed');
    expect(svg).toContain('✗ failed');
  }
  expect(report.candlestickPatterns.some((hit) => hit.direction === 'neutral')).toBe(true);
  expect(svg).not.toContain('marker-neutral');
  expect(renderChartSvg(series, report, { showNeutral: true })).toContain('marker-neutral');
});

test('the trend line is drawn, and the warm-up is stated (or its boundary drawn when the history was short)', () => {
  expect(svg).toMatch(/class="trend-line" data-direction="(up|down|sideways)"/);
  expect(svg).toContain('indicators warmed up on 201 earlier');
  expect(svg).not.toContain('warmup-boundary');
  const short = { ...series, warmup: candles.slice(-450, -400) };
  const shortSvg = renderChartSvg(short, analyzeSeries(short));
  expect(shortSvg).toContain('warmup-boundary');
});

test('renders to PNG', () => {
  const png = svgToPng(svg);
  expect(png.length).toBeGreaterThan(10_000);
  if (process.env.CHART_PNG_OUT) writeFileSync(process.env.CHART_PNG_OUT, png);
});
