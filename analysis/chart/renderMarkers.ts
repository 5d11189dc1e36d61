/**
 * Pattern markers: a triangle under the bar for a bullish candlestick pattern, over it for a
 * bearish one, a dot for a neutral one (at most one marker per bar and direction, the most
 * recent MAX_CANDLE_MARKERS hits); chart patterns as a dashed polyline through their points
 * with a label at the end.
 */
import type { AnalysisReport } from '../analyzeSeries.js';
import type { Bar } from './chartLayout.js';
import { escapeXml, px } from './chartLayout.js';

export const MAX_CANDLE_MARKERS = 80;
export const MAX_CHART_PATTERN_MARKERS = 8;

const COLOR = { bullish: '#16a34a', bearish: '#dc2626', neutral: '#6b7280' } as const;

export function renderMarkers(report: AnalysisReport, bars: readonly Bar[], bucket: number, centre: (index: number) => number, y: (price: number) => number): string {
  const seen = new Set<string>();
  const marks: string[] = [];
  const hits = report.candlestickPatterns;
  for (let k = hits.length - 1; k >= 0 && seen.size < MAX_CANDLE_MARKERS; k -= 1) {
    const hit = hits[k]!;
    const barIndex = Math.floor(hit.index / bucket);
    const key = `${barIndex}:${hit.direction}`;
    const bar = bars[barIndex];
    if (!bar || seen.has(key)) continue;
    seen.add(key);
    const cx = centre(barIndex);
    if (hit.direction === 'bullish') {
      const top = y(bar.low) + 4;
      marks.push(`<path class="marker-bullish" data-pattern="${hit.pattern}" d="M${px(cx)} ${px(top)}l4 7h-8Z" fill="${COLOR.bullish}"/>`);
    } else if (hit.direction === 'bearish') {
      const bottom = y(bar.high) - 4;
      marks.push(`<path class="marker-bearish" data-pattern="${hit.pattern}" d="M${px(cx)} ${px(bottom)}l4 -7h-8Z" fill="${COLOR.bearish}"/>`);
    } else {
      marks.push(`<circle class="marker-neutral" data-pattern="${hit.pattern}" cx="${px(cx)}" cy="${px(y(bar.high) - 6)}" r="2.5" fill="${COLOR.neutral}"/>`);
    }
  }
  const patterns = report.chartPatterns.filter((hit) => hit.pattern !== 'breakout').slice(-MAX_CHART_PATTERN_MARKERS);
  const breakouts = report.chartPatterns.filter((hit) => hit.pattern === 'breakout').slice(-MAX_CHART_PATTERN_MARKERS);
  for (const hit of patterns) {
    const points = hit.points.map((point) => `${px(centre(Math.floor(point.index / bucket)))},${px(y(point.price))}`).join(' ');
    const last = hit.points[hit.points.length - 1]!;
    const label = `${hit.pattern.replaceAll('_', ' ')}${hit.confirmed ? ' ✓' : ' ?'}`;
    marks.push(
      `<polyline class="chart-pattern" data-pattern="${hit.pattern}" points="${points}" fill="none" stroke="${COLOR[hit.direction]}" stroke-width="1.5" stroke-dasharray="3 3"/>` +
        `<text x="${px(centre(Math.floor(last.index / bucket)))}" y="${px(y(last.price) + (hit.direction === 'bearish' ? -10 : 18))}" text-anchor="middle" font-size="10" fill="${COLOR[hit.direction]}">${escapeXml(label)}</text>`,
    );
  }
  for (const hit of breakouts) {
    const point = hit.points[0]!;
    marks.push(`<circle class="breakout" data-pattern="breakout" cx="${px(centre(Math.floor(point.index / bucket)))}" cy="${px(y(point.price))}" r="4" fill="none" stroke="${COLOR[hit.direction]}" stroke-width="1.5"/>`);
  }
  return `<g class="markers">${marks.join('')}</g>`;
}
