/** Simple version until issue #3 lands: only the synthetic source exists yet. */
import type { Config } from '../../config/env.js';
import type { CandleSource } from './candleSource.js';
import { syntheticCandleSource } from './syntheticCandleSource.js';

export function createCandleSource(config: Pick<Config, 'MARKET_DATA_PROVIDER'>): CandleSource {
  if (config.MARKET_DATA_PROVIDER !== 'synthetic') {
    throw new Error(`MARKET_DATA_PROVIDER=${config.MARKET_DATA_PROVIDER} is not built yet; use synthetic`);
  }
  return syntheticCandleSource;
}
