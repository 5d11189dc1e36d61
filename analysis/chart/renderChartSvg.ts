/**
 * The analysis chart as an SVG string: candlesticks, volume bars, Bollinger bands and moving
 * averages, support and resistance lines, pattern markers, and a title naming the symbol,
 * interval, window and data source, the trend line, and where the indicators finished warming up
 * when that lies inside the window (the warm-up candles before the window are not plotted; the
 * title says how many there were). Labels are placed clear of candles, levels and each other.
 * Built with d3 scales and shapes, no DOM. Each layer is a
 * `<g class="…">` so tests and stylesheets can find it; candles and volume bars are drawn as a
 * few long paths rather than thousands of elements, which keeps rasterising fast.
 */
import { extent } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { utcFormat } from 'd3-time-format';
import type { AnalysisReport } from '../analyzeSeries.js';
import type { CandleSeries } from '../candles.js';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  escapeXml,
  labelText,
  placeLabel,
  PLOT,
  px,
  toBars,
  type Bar,
  type Box,
} from './chartLayout.js';
import { renderMarkers, type MarkerOptions } from './renderMarkers.js';

export { CHART_HEIGHT, CHART_WIDTH } from './chartLayout.js';

export const COLORS = {
  up: '#16a34a',
  down: '#dc2626',
  neutral: '#6b7280',
  grid: '#e5e7eb',
  text: '#111827',
  muted: '#6b7280',
  band: '#3b82f6',
  smaFast: '#f59e0b',
  smaSlow: '#8b5cf6',
} as const;

export function renderChartSvg(series: CandleSeries, report: AnalysisReport, options: MarkerOptions = {}): string {
  const { bars, bucket } = toBars(series.candles);
  const x = scaleBand<number>()
    .domain(bars.map((_, index) => index))
    .range([PLOT.left, PLOT.right])
    .paddingInner(bars.length > 120 ? 0.15 : 0.3);
  const width = Math.max(0.6, x.bandwidth());
  const centre = (index: number) => (x(index) ?? 0) + x.bandwidth() / 2;
  const { bollinger, smaFast, smaSlow } = report.indicators;
  const at = (values: readonly number[]) => (bar: Bar) => values[bar.lastIndex] ?? Number.NaN;
  const [low, high] = extent(
    [
      ...bars.flatMap((bar) => [bar.low, bar.high]),
      ...bars.map(at(bollinger.upper)),
      ...bars.map(at(bollinger.lower)),
    ].filter(Number.isFinite),
  );
  const pad = ((high ?? 1) - (low ?? 0)) * 0.04 || 1;
  const y = scaleLinear()
    .domain([(low ?? 0) - pad, (high ?? 1) + pad])
    .range([PLOT.priceBottom, PLOT.priceTop]);
  const maxVolume = Math.max(1, ...bars.map((bar) => bar.volume));
  const yVolume = scaleLinear().domain([0, maxVolume]).range([PLOT.volumeBottom, PLOT.volumeTop]);

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" font-family="Inter" font-size="11">`,
    `<rect class="background" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" fill="#ffffff"/>`,
    renderTitle(series, report, bucket),
    renderAxes(bars, y, yVolume, centre),
  ];

  const bandArea = area<Bar>()
    .defined((bar) => Number.isFinite(at(bollinger.upper)(bar)))
    .x((_, index) => centre(index))
    .y0((bar) => y(at(bollinger.lower)(bar)))
    .y1((bar) => y(at(bollinger.upper)(bar)));
  const lineOf = (values: readonly number[]) =>
    line<Bar>()
      .defined((bar) => Number.isFinite(at(values)(bar)))
      .x((_, index) => centre(index))
      .y((bar) => y(at(values)(bar)))
      .digits(1);
  parts.push(
    `<g class="bollinger"><path d="${bandArea.digits(1)(bars) ?? ''}" fill="${COLORS.band}" fill-opacity="0.08" stroke="none"/>`,
    `<path class="bollinger-upper" d="${lineOf(bollinger.upper)(bars) ?? ''}" fill="none" stroke="${COLORS.band}" stroke-opacity="0.6" stroke-width="1"/>`,
    `<path class="bollinger-lower" d="${lineOf(bollinger.lower)(bars) ?? ''}" fill="none" stroke="${COLORS.band}" stroke-opacity="0.6" stroke-width="1"/></g>`,
    `<g class="moving-averages"><path class="sma-fast" d="${lineOf(smaFast)(bars) ?? ''}" fill="none" stroke="${COLORS.smaFast}" stroke-width="1.4"/>`,
    `<path class="sma-slow" d="${lineOf(smaSlow)(bars) ?? ''}" fill="none" stroke="${COLORS.smaSlow}" stroke-width="1.4"/></g>`,
  );

  const wicks = { up: [] as string[], down: [] as string[] };
  const bodies = { up: [] as string[], down: [] as string[] };
  const volumes = { up: [] as string[], down: [] as string[] };
  bars.forEach((bar, index) => {
    const side = bar.close >= bar.open ? 'up' : 'down';
    const left = x(index) ?? 0;
    const top = y(Math.max(bar.open, bar.close));
    const bodyHeight = Math.max(0.8, y(Math.min(bar.open, bar.close)) - top);
    wicks[side].push(`M${px(centre(index))} ${px(y(bar.high))}V${px(y(bar.low))}`);
    bodies[side].push(`M${px(left)} ${px(top)}h${px(width)}v${px(bodyHeight)}h${px(-width)}Z`);
    const volumeTop = yVolume(bar.volume);
    volumes[side].push(`M${px(left)} ${px(volumeTop)}h${px(width)}V${PLOT.volumeBottom}h${px(-width)}Z`);
  });
  parts.push(
    `<g class="volume"><path class="volume-up" d="${volumes.up.join('')}" fill="${COLORS.up}" fill-opacity="0.45"/><path class="volume-down" d="${volumes.down.join('')}" fill="${COLORS.down}" fill-opacity="0.45"/></g>`,
    `<g class="candles"><path class="wicks-up" d="${wicks.up.join('')}" stroke="${COLORS.up}" stroke-width="1"/><path class="wicks-down" d="${wicks.down.join('')}" stroke="${COLORS.down}" stroke-width="1"/>`,
    `<path class="bodies-up" d="${bodies.up.join('')}" fill="${COLORS.up}"/><path class="bodies-down" d="${bodies.down.join('')}" fill="${COLORS.down}"/></g>`,
  );
  const obstacles: Box[] = bars.map((bar, index) => ({
    x: x(index) ?? 0,
    y: y(bar.high),
    width: Math.max(1, x.bandwidth()),
    height: Math.max(1, y(bar.low) - y(bar.high)),
  }));
  parts.push(
    renderTrend(report, bars, bucket, centre, y),
    renderWarmupBoundary(report, bars, bucket, centre),
    renderLevels(report, y, obstacles),
    renderMarkers(report, bars, bucket, centre, y, obstacles, options),
    '</svg>',
  );
  return parts.join('\n');
}

function renderTitle(series: CandleSeries, report: AnalysisReport, bucket: number): string {
  const day = utcFormat('%Y-%m-%d %H:%M');
  const window =
    report.candleCount > 0
      ? `${day(new Date(report.firstTime))} → ${day(new Date(report.lastTime))} UTC`
      : 'no candles';
  const aggregated = bucket > 1 ? ` · ${bucket} candles per bar` : '';
  const warmup = report.warmupCount > 0 ? ` · indicators warmed up on ${report.warmupCount} earlier` : '';
  const title = `${series.symbol} · ${series.interval} · ${series.timeframe} · ${window} · ${report.candleCount} candles${aggregated}${warmup}`;
  const source = series.source === 'synthetic' ? 'SYNTHETIC DATA — not market prices' : `source: ${series.source}`;
  const sourceColor = series.source === 'synthetic' ? COLORS.down : COLORS.muted;
  const legend = [
    [COLORS.smaFast, `SMA ${report.indicators.settings.smaFast}`],
    [COLORS.smaSlow, `SMA ${report.indicators.settings.smaSlow}`],
    [
      COLORS.band,
      `Bollinger ${report.indicators.settings.bollinger.period}, ${report.indicators.settings.bollinger.deviations}σ`,
    ],
    [COLORS.up, '▲ bullish pattern'],
    [COLORS.down, '▼ bearish pattern'],
  ]
    .map(
      ([color, label], index) =>
        `<text x="${PLOT.left + index * 130}" y="${PLOT.legendBaseline}" fill="${color}">${escapeXml(label ?? '')}</text>`,
    )
    .join('');
  return (
    `<g class="title"><text class="title-text" x="${PLOT.left}" y="${PLOT.titleBaseline}" font-size="16" font-weight="600" fill="${COLORS.text}">${escapeXml(title)}</text>` +
    `<text class="data-source" x="${CHART_WIDTH - 16}" y="${PLOT.titleBaseline}" text-anchor="end" font-size="13" fill="${sourceColor}">${escapeXml(source)}</text></g>` +
    `<g class="legend">${legend}</g>`
  );
}

function renderAxes(
  bars: readonly Bar[],
  y: (value: number) => number,
  yVolume: (value: number) => number,
  centre: (index: number) => number,
): string {
  const priceScale = y as ReturnType<typeof scaleLinear<number, number>>;
  const ticks = priceScale.ticks(6);
  const format = priceScale.tickFormat(6);
  const grid = ticks
    .map(
      (tick) =>
        `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(tick))}" y2="${px(y(tick))}" stroke="${COLORS.grid}"/><text x="${PLOT.right + 6}" y="${px(y(tick) + 4)}" fill="${COLORS.muted}">${format(tick)}</text>`,
    )
    .join('');
  const span = bars.length > 1 ? bars[bars.length - 1]!.time - bars[0]!.time : 0;
  const timeFormat = utcFormat(span > 90 * 86_400_000 ? '%Y-%m-%d' : '%m-%d %H:%M');
  const labelCount = Math.min(6, bars.length);
  const times = Array.from({ length: labelCount }, (_, k) =>
    Math.round((k * (bars.length - 1)) / Math.max(1, labelCount - 1)),
  )
    .map((index, k) => {
      const anchor = k === 0 ? 'start' : k === labelCount - 1 ? 'end' : 'middle';
      const at = k === 0 ? PLOT.left : k === labelCount - 1 ? PLOT.right : centre(index);
      return `<text x="${px(at)}" y="${PLOT.timeBaseline}" text-anchor="${anchor}" fill="${COLORS.muted}">${timeFormat(new Date(bars[index]!.time))}</text>`;
    })
    .join('');
  const volumeLabel = `<text x="${PLOT.right + 6}" y="${px(yVolume(0) - 2)}" fill="${COLORS.muted}">volume</text>`;
  return `<g class="axes">${grid}<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.volumeBottom}" y2="${PLOT.volumeBottom}" stroke="${COLORS.grid}"/>${volumeLabel}${times}</g>`;
}

function renderLevels(
  report: AnalysisReport,
  y: ReturnType<typeof scaleLinear<number, number>>,
  obstacles: Box[],
): string {
  const [bottom, top] = y.domain() as [number, number];
  const visible = report.levels.filter((level) => level.price >= bottom && level.price <= top);
  for (const level of visible)
    obstacles.push({ x: PLOT.left, y: y(level.price) - 1, width: PLOT.right - PLOT.left, height: 2 });
  const lines = visible
    .map((level) => {
      const color = level.kind === 'support' ? COLORS.up : COLORS.down;
      const at = px(y(level.price));
      const text = `${level.kind === 'support' ? 'S' : 'R'} ${y.tickFormat(8)(level.price)} ×${level.touches}`;
      const box = placeLabel(PLOT.right - 40, y(level.price), text, true, obstacles);
      obstacles.push(box);
      return `<line class="level-${level.kind}" x1="${PLOT.left}" x2="${PLOT.right}" y1="${at}" y2="${at}" stroke="${color}" stroke-dasharray="6 4" stroke-width="1.2"/>${labelText(box, text, color, 'level-label')}`;
    })
    .join('');
  return `<g class="levels">${lines}</g>`;
}

/** The least-squares trend line through the window's closes. */
function renderTrend(
  report: AnalysisReport,
  bars: readonly Bar[],
  bucket: number,
  centre: (index: number) => number,
  y: (value: number) => number,
): string {
  if (bars.length < 2 || report.candleCount < 3) return '<g class="trend"></g>';
  const { intercept, slopePerCandle, direction } = report.trend;
  const lastIndex = report.candleCount - 1;
  const color = direction === 'up' ? COLORS.up : direction === 'down' ? COLORS.down : COLORS.muted;
  return `<g class="trend"><line class="trend-line" data-direction="${direction}" x1="${px(centre(0))}" y1="${px(y(intercept))}" x2="${px(centre(Math.floor(lastIndex / bucket)))}" y2="${px(y(intercept + slopePerCandle * lastIndex))}" stroke="${color}" stroke-width="1.2" stroke-opacity="0.7" stroke-dasharray="10 4"/></g>`;
}

/** Where every indicator has converged, when that is inside the window (not enough history before it). */
function renderWarmupBoundary(
  report: AnalysisReport,
  bars: readonly Bar[],
  bucket: number,
  centre: (index: number) => number,
): string {
  if (report.indicatorsFrom <= 0 || report.candleCount === 0) return '<g class="warmup"></g>';
  const inside = report.indicatorsFrom < report.candleCount;
  const at = inside ? centre(Math.floor(report.indicatorsFrom / bucket)) : PLOT.right;
  const text = inside ? 'indicators warmed up →' : 'indicators still warming up';
  return (
    `<g class="warmup"><rect class="warmup-shade" x="${PLOT.left}" y="${PLOT.priceTop}" width="${px(Math.max(0, at - PLOT.left))}" height="${PLOT.priceBottom - PLOT.priceTop}" fill="${COLORS.muted}" fill-opacity="0.06"/>` +
    `<line class="warmup-boundary" x1="${px(at)}" x2="${px(at)}" y1="${PLOT.priceTop}" y2="${PLOT.volumeBottom}" stroke="${COLORS.muted}" stroke-dasharray="2 3"/>` +
    `<text x="${px(Math.min(at + 4, PLOT.right - 150))}" y="${PLOT.priceTop + 12}" font-size="10" fill="${COLORS.muted}">${escapeXml(text)}</text></g>`
  );
}
