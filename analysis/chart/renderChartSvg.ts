/**
 * The analysis chart as an SVG string: candlesticks, volume bars, Bollinger bands and moving
 * averages, support and resistance lines, pattern markers, and a title naming the symbol,
 * interval, window and data source. Built with d3 scales and shapes, no DOM. Each layer is a
 * `<g class="…">` so tests and stylesheets can find it; candles and volume bars are drawn as a
 * few long paths rather than thousands of elements, which keeps rasterising fast.
 */
import { extent } from 'd3-array';
import { scaleBand, scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';
import { utcFormat } from 'd3-time-format';
import type { AnalysisReport } from '../analyzeSeries.js';
import type { CandleSeries } from '../candles.js';
import { CHART_HEIGHT, CHART_WIDTH, escapeXml, PLOT, px, toBars, type Bar } from './chartLayout.js';
import { renderMarkers } from './renderMarkers.js';

export { CHART_HEIGHT, CHART_WIDTH } from './chartLayout.js';

export const COLORS = { up: '#16a34a', down: '#dc2626', neutral: '#6b7280', grid: '#e5e7eb', text: '#111827', muted: '#6b7280', band: '#3b82f6', smaFast: '#f59e0b', smaSlow: '#8b5cf6' } as const;

export function renderChartSvg(series: CandleSeries, report: AnalysisReport): string {
  const { bars, bucket } = toBars(series.candles);
  const x = scaleBand<number>()
    .domain(bars.map((_, index) => index))
    .range([PLOT.left, PLOT.right])
    .paddingInner(bars.length > 120 ? 0.15 : 0.3);
  const width = Math.max(0.6, x.bandwidth());
  const centre = (index: number) => (x(index) ?? 0) + x.bandwidth() / 2;
  const { bollinger, smaFast, smaSlow } = report.indicators;
  const at = (values: readonly number[]) => (bar: Bar) => values[bar.lastIndex] ?? Number.NaN;
  const [low, high] = extent([...bars.flatMap((bar) => [bar.low, bar.high]), ...bars.map(at(bollinger.upper)), ...bars.map(at(bollinger.lower))].filter(Number.isFinite));
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
    renderLevels(report, y),
    renderMarkers(report, bars, bucket, centre, y),
    '</svg>',
  );
  return parts.join('\n');
}

function renderTitle(series: CandleSeries, report: AnalysisReport, bucket: number): string {
  const day = utcFormat('%Y-%m-%d %H:%M');
  const window = report.candleCount > 0 ? `${day(new Date(report.firstTime))} → ${day(new Date(report.lastTime))} UTC` : 'no candles';
  const aggregated = bucket > 1 ? ` · ${bucket} candles per bar` : '';
  const title = `${series.symbol} · ${series.interval} · ${series.timeframe} · ${window} · ${report.candleCount} candles${aggregated}`;
  const source = series.source === 'synthetic' ? 'SYNTHETIC DATA — not market prices' : `source: ${series.source}`;
  const sourceColor = series.source === 'synthetic' ? COLORS.down : COLORS.muted;
  const legend = [
    [COLORS.smaFast, `SMA ${report.indicators.settings.smaFast}`],
    [COLORS.smaSlow, `SMA ${report.indicators.settings.smaSlow}`],
    [COLORS.band, `Bollinger ${report.indicators.settings.bollinger.period}, ${report.indicators.settings.bollinger.deviations}σ`],
    [COLORS.up, '▲ bullish pattern'],
    [COLORS.down, '▼ bearish pattern'],
  ]
    .map(([color, label], index) => `<text x="${PLOT.left + index * 130}" y="${PLOT.legendBaseline}" fill="${color}">${escapeXml(label ?? '')}</text>`)
    .join('');
  return (
    `<g class="title"><text class="title-text" x="${PLOT.left}" y="${PLOT.titleBaseline}" font-size="16" font-weight="600" fill="${COLORS.text}">${escapeXml(title)}</text>` +
    `<text class="data-source" x="${CHART_WIDTH - 16}" y="${PLOT.titleBaseline}" text-anchor="end" font-size="13" fill="${sourceColor}">${escapeXml(source)}</text></g>` +
    `<g class="legend">${legend}</g>`
  );
}

function renderAxes(bars: readonly Bar[], y: (value: number) => number, yVolume: (value: number) => number, centre: (index: number) => number): string {
  const priceScale = y as ReturnType<typeof scaleLinear<number, number>>;
  const ticks = priceScale.ticks(6);
  const format = priceScale.tickFormat(6);
  const grid = ticks
    .map((tick) => `<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${px(y(tick))}" y2="${px(y(tick))}" stroke="${COLORS.grid}"/><text x="${PLOT.right + 6}" y="${px(y(tick) + 4)}" fill="${COLORS.muted}">${format(tick)}</text>`)
    .join('');
  const span = bars.length > 1 ? bars[bars.length - 1]!.time - bars[0]!.time : 0;
  const timeFormat = utcFormat(span > 90 * 86_400_000 ? '%Y-%m-%d' : '%m-%d %H:%M');
  const labelCount = Math.min(6, bars.length);
  const times = Array.from({ length: labelCount }, (_, k) => Math.round((k * (bars.length - 1)) / Math.max(1, labelCount - 1)))
    .map((index, k) => {
      const anchor = k === 0 ? 'start' : k === labelCount - 1 ? 'end' : 'middle';
      const at = k === 0 ? PLOT.left : k === labelCount - 1 ? PLOT.right : centre(index);
      return `<text x="${px(at)}" y="${PLOT.timeBaseline}" text-anchor="${anchor}" fill="${COLORS.muted}">${timeFormat(new Date(bars[index]!.time))}</text>`;
    })
    .join('');
  const volumeLabel = `<text x="${PLOT.right + 6}" y="${px(yVolume(0) - 2)}" fill="${COLORS.muted}">volume</text>`;
  return `<g class="axes">${grid}<line x1="${PLOT.left}" x2="${PLOT.right}" y1="${PLOT.volumeBottom}" y2="${PLOT.volumeBottom}" stroke="${COLORS.grid}"/>${volumeLabel}${times}</g>`;
}

function renderLevels(report: AnalysisReport, y: ReturnType<typeof scaleLinear<number, number>>): string {
  const [bottom, top] = y.domain() as [number, number];
  const lines = report.levels
    .filter((level) => level.price >= bottom && level.price <= top)
    .map((level) => {
      const color = level.kind === 'support' ? COLORS.up : COLORS.down;
      const at = px(y(level.price));
      const label = `${level.kind === 'support' ? 'S' : 'R'} ${y.tickFormat(8)(level.price)} ×${level.touches}`;
      return `<line class="level-${level.kind}" x1="${PLOT.left}" x2="${PLOT.right}" y1="${at}" y2="${at}" stroke="${color}" stroke-dasharray="6 4" stroke-width="1.2"/><text x="${PLOT.right - 4}" y="${px(y(level.price) - 3)}" text-anchor="end" fill="${color}" font-size="10">${escapeXml(label)}</text>`;
    })
    .join('');
  return `<g class="levels">${lines}</g>`;
}
