/**
 * Pattern markers: a triangle under the bar for a bullish candlestick pattern, over it for a
 * bearish one (at most one marker per bar and direction, the most recent MAX_CANDLE_MARKERS
 * hits); neutral single-candle hits (doji, spinning top…) only when asked for, as a dot.
 * Chart patterns as a dashed polyline through their points, their boundary lines, and a label
 * (✓ confirmed, ? unconfirmed, ✗ failed; failed patterns in grey), placed clear of candles,
 * levels and other labels, with a white halo.
 */
import type { AnalysisReport } from '../analyzeSeries.js';
import type { Bar, Box } from './chartLayout.js';
import { labelText, placeLabel, px } from './chartLayout.js';

export const MAX_CANDLE_MARKERS = 80;
export const MAX_CHART_PATTERN_MARKERS = 8;

const COLOR = { bullish: '#16a34a', bearish: '#dc2626', neutral: '#6b7280', failed: '#9ca3af' } as const;
const STATUS_MARK = { confirmed: '✓', unconfirmed: '?', failed: '✗ failed' } as const;

export interface MarkerOptions {
  /** Draw neutral single-candle hits too (off by default: they say little on their own). */
  showNeutral?: boolean;
}

export function renderMarkers(
  report: AnalysisReport,
  bars: readonly Bar[],
  bucket: number,
  centre: (index: number) => number,
  y: (price: number) => number,
  obstacles: Box[],
  options: MarkerOptions = {},
): string {
  const seen = new Set<string>();
  const marks: string[] = [];
  const hits = report.candlestickPatterns;
  for (let k = hits.length - 1; k >= 0 && seen.size < MAX_CANDLE_MARKERS; k -= 1) {
    const hit = hits[k]!;
    if (hit.direction === 'neutral' && !options.showNeutral) continue;
    const barIndex = Math.floor(hit.index / bucket);
    const key = `${barIndex}:${hit.direction}`;
    const bar = bars[barIndex];
    if (!bar || seen.has(key)) continue;
    seen.add(key);
    const cx = centre(barIndex);
    if (hit.direction === 'bullish') {
      const top = y(bar.low) + 4;
      marks.push(
        `<path class="marker-bullish" data-pattern="${hit.pattern}" d="M${px(cx)} ${px(top)}l4 7h-8Z" fill="${COLOR.bullish}"/>`,
      );
      obstacles.push({ x: cx - 4, y: top, width: 8, height: 7 });
    } else if (hit.direction === 'bearish') {
      const bottom = y(bar.high) - 4;
      marks.push(
        `<path class="marker-bearish" data-pattern="${hit.pattern}" d="M${px(cx)} ${px(bottom)}l4 -7h-8Z" fill="${COLOR.bearish}"/>`,
      );
      obstacles.push({ x: cx - 4, y: bottom - 7, width: 8, height: 7 });
    } else {
      marks.push(
        `<circle class="marker-neutral" data-pattern="${hit.pattern}" cx="${px(cx)}" cy="${px(y(bar.high) - 6)}" r="2.5" fill="${COLOR.neutral}"/>`,
      );
    }
  }
  const patterns = report.chartPatterns.filter((hit) => hit.pattern !== 'breakout').slice(-MAX_CHART_PATTERN_MARKERS);
  const breakouts = report.chartPatterns.filter((hit) => hit.pattern === 'breakout').slice(-MAX_CHART_PATTERN_MARKERS);
  const xOf = (index: number) => centre(Math.floor(index / bucket));
  const labels: string[] = [];
  for (const hit of patterns) {
    const color = hit.status === 'failed' ? COLOR.failed : COLOR[hit.direction];
    const points = hit.points.map((point) => `${px(xOf(point.index))},${px(y(point.price))}`).join(' ');
    marks.push(
      `<polyline class="chart-pattern status-${hit.status}" data-pattern="${hit.pattern}" points="${points}" fill="none" stroke="${color}" stroke-width="1.5" stroke-dasharray="${hit.status === 'failed' ? '1 3' : '3 3'}"/>`,
    );
    for (const line of hit.lines ?? []) {
      marks.push(
        `<line class="pattern-line" x1="${px(xOf(line.startIndex))}" y1="${px(y(line.startPrice))}" x2="${px(xOf(line.endIndex))}" y2="${px(y(line.endPrice))}" stroke="${color}" stroke-width="1.2" stroke-opacity="0.8"/>`,
      );
    }
    const last = hit.points[hit.points.length - 1]!;
    const text = `${hit.pattern.replaceAll('_', ' ')} ${STATUS_MARK[hit.status]}`;
    const box = placeLabel(xOf(last.index), y(last.price), text, hit.direction === 'bearish', obstacles);
    obstacles.push(box);
    labels.push(labelText(box, text, hit.status === 'failed' ? '#6b7280' : color, 'pattern-label'));
  }
  for (const hit of breakouts) {
    const point = hit.points[0]!;
    const color = hit.status === 'failed' ? COLOR.failed : COLOR[hit.direction];
    marks.push(
      `<circle class="breakout status-${hit.status}" data-pattern="breakout" cx="${px(xOf(point.index))}" cy="${px(y(point.price))}" r="4" fill="none" stroke="${color}" stroke-width="1.5"/>`,
    );
  }
  return `<g class="markers">${marks.join('')}</g><g class="labels">${labels.join('')}</g>`;
}
