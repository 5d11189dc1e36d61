/** A completed job's analysis_data as readable tables: price, indicators, levels, candlestick and chart patterns. */
import type { AnalysisData } from '../../analysis/analysisData.js';
import { DataTable } from './DataTable';
import { formatNumber, formatTime } from './format';

/** Candlestick hits shown; a window of a few hundred candles has dozens, and the newest matter most. */
const SHOWN_HITS = 10;

/** analysis_data is JSON the worker wrote; the page reads only what it recognises. */
export function asAnalysisData(value: unknown): AnalysisData | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const data = value as Partial<AnalysisData>;
  return data.indicators && data.price && Array.isArray(data.levels) ? (data as AnalysisData) : undefined;
}

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <DataTable kind="data" caption={caption} columns={head}>
      {rows.length === 0 ? (
        <tr>
          <td colSpan={head.length} class="muted">
            none
          </td>
        </tr>
      ) : (
        rows.map((row) => (
          <tr>
            {row.map((cell) => (
              <td>{cell}</td>
            ))}
          </tr>
        ))
      )}
    </DataTable>
  );
}

export function ResultTables({ data }: { data: AnalysisData }) {
  const { indicators: ind, price } = data;
  const n = (value: number | null | undefined, digits?: number) => formatNumber(value, digits);
  return (
    <div class="results">
      <Table
        caption={`Price over ${data.candle_count} candles${data.synthetic ? ' (synthetic data)' : ''}`}
        head={['First open', 'Last close', 'High', 'Low', 'Change', 'Trend']}
        rows={[
          [
            n(price.first_open),
            n(price.last_close),
            n(price.high),
            n(price.low),
            `${n(price.change_percent)}%`,
            `${data.trend.direction} (strength ${n(data.trend.strength)})`,
          ],
        ]}
      />
      <Table
        caption="Indicators (latest values)"
        head={['Indicator', 'Value', 'Reading']}
        rows={[
          [`SMA ${ind.sma_fast.period}`, n(ind.sma_fast.value), ''],
          [`SMA ${ind.sma_slow.period}`, n(ind.sma_slow.value), ''],
          [`EMA ${ind.ema_fast.period}`, n(ind.ema_fast.value), ''],
          [`EMA ${ind.ema_slow.period}`, n(ind.ema_slow.value), ''],
          [`RSI ${ind.rsi.period}`, n(ind.rsi.value), ind.rsi.state ?? '—'],
          [
            `MACD ${ind.macd.fast}/${ind.macd.slow}/${ind.macd.signal_period}`,
            `${n(ind.macd.line)} / ${n(ind.macd.signal)} (hist ${n(ind.macd.histogram)})`,
            ind.macd.state ?? '—',
          ],
          [
            `Bollinger ${ind.bollinger.period}, ${ind.bollinger.deviations}σ`,
            `${n(ind.bollinger.lower)} – ${n(ind.bollinger.upper)} (%B ${n(ind.bollinger.percent_b)})`,
            ind.bollinger.position ?? '—',
          ],
          [`ATR ${ind.atr.period}`, n(ind.atr.value), `${n(ind.atr.percent_of_price)}% of price`],
          [`Volume (avg ${ind.volume.period})`, n(ind.volume.average), `last × ${n(ind.volume.ratio)}`],
        ]}
      />
      <Table
        caption="Support and resistance levels"
        head={['Kind', 'Price', 'Touches', 'Last touch', 'Confidence']}
        rows={data.levels.map((level) => [
          level.kind,
          n(level.price),
          level.touches,
          formatTime(level.last_touch),
          n(level.confidence),
        ])}
      />
      <Table
        caption={`Latest candlestick patterns (${Math.min(SHOWN_HITS, data.candlestick_patterns.recent.length)} of ${Object.values(data.candlestick_patterns.counts).reduce((sum, count) => sum + count, 0)} in the window)`}
        head={['Time', 'Pattern', 'Direction', 'Strength', 'Prior trend']}
        rows={data.candlestick_patterns.recent
          .slice(-SHOWN_HITS)
          .reverse()
          .map((hit) => [formatTime(hit.time), hit.pattern, hit.direction, n(hit.strength), hit.trend_context.prior])}
      />
      <Table
        caption="Chart patterns"
        head={['Pattern', 'Direction', 'Status', 'From', 'To', 'Level', 'Confidence']}
        rows={[...data.chart_patterns.recent]
          .reverse()
          .map((hit) => [
            hit.pattern,
            hit.direction,
            hit.status,
            formatTime(hit.start),
            formatTime(hit.end),
            n(hit.level),
            n(hit.confidence),
          ])}
      />
    </div>
  );
}
