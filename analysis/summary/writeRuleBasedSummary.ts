/** Deterministic summary from facts alone. Simple version until issue #3 lands. */
import type { SummaryFacts } from './summaryFacts.js';

export function writeRuleBasedSummary(facts: SummaryFacts): string {
  const synthetic = facts.dataSource === 'synthetic' ? ' (synthetic data)' : '';
  return `${facts.symbol} ${facts.interval} over ${facts.timeframe}${synthetic}: last close ${facts.lastClose.toFixed(2)}, range ${facts.low.toFixed(2)}–${facts.high.toFixed(2)}, trend ${facts.trend}.`;
}
