/** A deterministic summary from the facts alone: same facts, same text. */
import type { SummaryFacts } from './summaryFacts.js';

/** Six significant digits, no exponent, no trailing zeros: 185.715, 67234.1, 0.000123457. */
export function formatPrice(value: number): string {
  return String(Number(value.toPrecision(6)));
}

const BAND_PHRASES: Record<NonNullable<SummaryFacts['bollinger']>['position'], string> = {
  'above upper band': 'above the upper Bollinger band',
  'upper half': 'in the upper half of the Bollinger bands',
  'lower half': 'in the lower half of the Bollinger bands',
  'below lower band': 'below the lower Bollinger band',
};

const signed = (value: number): string => `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;
/** `2025-12-31T20:00:00.000Z` → `2025-12-31 20:00 UTC`. */
const when = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
const levelList = (levels: SummaryFacts['support']): string =>
  levels.map((level) => `${formatPrice(level.price)} (${level.touches} touches)`).join(', ');

export function writeRuleBasedSummary(facts: SummaryFacts): string {
  const sentences: string[] = [];
  if (facts.synthetic)
    sentences.push('SYNTHETIC DATA: these candles were generated for a demo and are not market prices.');
  if (facts.candleCount === 0 || !facts.windowStart || !facts.windowEnd) {
    sentences.push(
      `${facts.symbol} ${facts.interval} over ${facts.timeframe} (${facts.dataSource} data): no candles in the window, nothing to analyse.`,
    );
    return sentences.join(' ');
  }
  sentences.push(
    `${facts.symbol} ${facts.interval} over ${facts.timeframe} (${facts.dataSource} data, ${facts.candleCount} candles from ${when(facts.windowStart)} to ${when(facts.windowEnd)}): ` +
      `last close ${formatPrice(facts.lastClose)}, range ${formatPrice(facts.low)}–${formatPrice(facts.high)}, ${signed(facts.changePercent)} over the window.`,
  );
  const { trend } = facts;
  sentences.push(
    trend.direction === 'sideways'
      ? `No clear trend (regression fit R² ${trend.strength.toFixed(2)}).`
      : `Trend ${trend.direction} (regression fit R² ${trend.strength.toFixed(2)}, ${signed(trend.changePercent)} along the fitted line).`,
  );
  const readings: string[] = [];
  if (facts.rsi) readings.push(`RSI ${facts.rsi.value.toFixed(1)} (${facts.rsi.state})`);
  if (facts.macd) readings.push(`MACD ${facts.macd.state} (histogram ${formatPrice(facts.macd.histogram)})`);
  if (facts.bollinger)
    readings.push(
      `price ${BAND_PHRASES[facts.bollinger.position]} (${formatPrice(facts.bollinger.lower)}–${formatPrice(facts.bollinger.upper)})`,
    );
  if (facts.volumeRatio !== null) readings.push(`last volume ${facts.volumeRatio.toFixed(2)}× its average`);
  if (readings.length > 0) sentences.push(`${capitalize(readings.join(', '))}.`);
  sentences.push(
    facts.support.length > 0 ? `Support at ${levelList(facts.support)}.` : 'No support level below the last close.',
  );
  sentences.push(
    facts.resistance.length > 0
      ? `Resistance at ${levelList(facts.resistance)}.`
      : 'No resistance level above the last close.',
  );
  if (facts.recentCandlestickPatterns.length > 0) {
    const hits = facts.recentCandlestickPatterns.map(
      (hit) => `${hit.pattern} (${hit.direction}, ${when(hit.time)}, strength ${hit.strength.toFixed(2)})`,
    );
    sentences.push(`Recent candlestick patterns: ${hits.join('; ')}.`);
  } else {
    sentences.push('No candlestick pattern in the last candles.');
  }
  if (facts.chartPatterns.length > 0) {
    const hits = facts.chartPatterns.map(
      (hit) =>
        `${hit.pattern} (${hit.direction}, ${hit.status === 'failed' && hit.failedTime ? `failed ${when(hit.failedTime)}` : hit.status}, level ${formatPrice(hit.level)}, ${when(hit.time)}, confidence ${hit.confidence.toFixed(2)})`,
    );
    sentences.push(`Chart patterns: ${hits.join('; ')}.`);
  }
  if (facts.hitRates.length > 0) {
    const rates = facts.hitRates.map((rate) => {
      const share =
        rate.inDirection === null
          ? ''
          : `${Math.round(rate.inDirection * 100)}% moved ${rate.direction === 'bullish' ? 'up' : 'down'}, `;
      return `${rate.pattern} (${rate.direction}) ${rate.occurrences} times: ${share}median ${signed(rate.medianReturn)}`;
    });
    sentences.push(`Ten candles after earlier occurrences in this window: ${rates.join('; ')}.`);
  }
  return sentences.join(' ');
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
