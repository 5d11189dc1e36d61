/**
 * The same chart the way d3-node's examples build one: a jsdom document, d3 selections
 * appending one element per candle, wick and volume bar, d3-axis for the axes, then the
 * document serialised to SVG and rasterised with resvg (d3-node itself draws no PNG; its
 * canvas option needs node-canvas, whose binary downloads at install). Only for the
 * benchmark's comparison: the product builds its SVG as a string (analysis/chart).
 */
import { D3Node } from 'd3-node';
import type { AnalysisReport } from '../analysis/analyzeSeries.js';
import type { CandleSeries } from '../analysis/candles.js';
import { CHART_HEIGHT, CHART_WIDTH, PLOT, toBars } from '../analysis/chart/chartLayout.js';
import { COLORS } from '../analysis/chart/renderChartSvg.js';
import { svgToPng } from '../integrations/chartRasterizer.js';

export function renderD3NodeChartSvg(series: CandleSeries, report: AnalysisReport): string {
  const d3n = new D3Node();
  const { d3 } = d3n;
  const { bars } = toBars(series.candles);
  const svg = d3n.createSVG(CHART_WIDTH, CHART_HEIGHT).attr('font-family', 'Inter').attr('font-size', 11);
  svg.append('rect').attr('width', CHART_WIDTH).attr('height', CHART_HEIGHT).attr('fill', '#ffffff');
  const x = d3
    .scaleBand<number>()
    .domain(bars.map((_, index) => index))
    .range([PLOT.left, PLOT.right])
    .paddingInner(0.15);
  const centre = (index: number) => (x(index) ?? 0) + x.bandwidth() / 2;
  const { bollinger, smaFast, smaSlow } = report.indicators;
  const values = bars.flatMap((bar) => [bar.low, bar.high]);
  const y = d3
    .scaleLinear()
    .domain(d3.extent(values) as [number, number])
    .nice()
    .range([PLOT.priceBottom, PLOT.priceTop]);
  const yVolume = d3
    .scaleLinear()
    .domain([0, d3.max(bars, (bar) => bar.volume) ?? 1])
    .range([PLOT.volumeBottom, PLOT.volumeTop]);

  svg
    .append('text')
    .attr('x', PLOT.left)
    .attr('y', PLOT.titleBaseline)
    .attr('font-size', 16)
    .attr('font-weight', 600)
    .text(`${series.symbol} · ${series.interval} · ${series.timeframe} · ${report.candleCount} candles`);
  svg
    .append('g')
    .attr('transform', `translate(${PLOT.right},0)`)
    .call(d3.axisRight(y).ticks(6))
    .attr('color', COLORS.muted);
  svg
    .append('g')
    .attr('transform', `translate(0,${PLOT.volumeBottom})`)
    .call(
      d3
        .axisBottom(x)
        .tickValues(x.domain().filter((index) => index % Math.ceil(bars.length / 6) === 0))
        .tickFormat((index) => d3.utcFormat('%m-%d %H:%M')(new Date(bars[index]!.time))),
    )
    .attr('color', COLORS.muted);

  const lineOf = (series: readonly number[]) =>
    d3
      .line<(typeof bars)[number]>()
      .defined((bar) => Number.isFinite(series[bar.lastIndex]))
      .x((_, index) => centre(index))
      .y((bar) => y(series[bar.lastIndex]!));
  for (const [data, color] of [
    [bollinger.upper, COLORS.band],
    [bollinger.lower, COLORS.band],
    [smaFast, COLORS.smaFast],
    [smaSlow, COLORS.smaSlow],
  ] as const)
    svg.append('path').datum(bars).attr('d', lineOf(data)).attr('fill', 'none').attr('stroke', color);

  const color = (bar: (typeof bars)[number]) => (bar.close >= bar.open ? COLORS.up : COLORS.down);
  const candles = svg.append('g').selectAll('g').data(bars).join('g');
  candles
    .append('line')
    .attr('x1', (_, index) => centre(index))
    .attr('x2', (_, index) => centre(index))
    .attr('y1', (bar) => y(bar.high))
    .attr('y2', (bar) => y(bar.low))
    .attr('stroke', color);
  candles
    .append('rect')
    .attr('x', (_, index) => x(index) ?? 0)
    .attr('y', (bar) => y(Math.max(bar.open, bar.close)))
    .attr('width', x.bandwidth())
    .attr('height', (bar) => Math.max(0.8, Math.abs(y(bar.open) - y(bar.close))))
    .attr('fill', color);
  candles
    .append('rect')
    .attr('x', (_, index) => x(index) ?? 0)
    .attr('y', (bar) => yVolume(bar.volume))
    .attr('width', x.bandwidth())
    .attr('height', (bar) => PLOT.volumeBottom - yVolume(bar.volume))
    .attr('fill', color)
    .attr('fill-opacity', 0.45);
  svg
    .append('g')
    .selectAll('line')
    .data(report.levels)
    .join('line')
    .attr('x1', PLOT.left)
    .attr('x2', PLOT.right)
    .attr('y1', (level) => y(level.price))
    .attr('y2', (level) => y(level.price))
    .attr('stroke', (level) => (level.kind === 'support' ? COLORS.up : COLORS.down))
    .attr('stroke-dasharray', '6 4');
  return d3n.svgString();
}

export const renderD3NodeChartPng = (series: CandleSeries, report: AnalysisReport): Uint8Array =>
  svgToPng(renderD3NodeChartSvg(series, report));
