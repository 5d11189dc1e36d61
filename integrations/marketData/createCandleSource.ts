/** The candle source MARKET_DATA_PROVIDER names. */
import type { Config } from '../../config/env.js';
import { createBinanceCandleSource } from './binanceCandleSource.js';
import type { CandleSource } from './candleSource.js';
import { createFileCandleSource } from './fileCandleSource.js';
import { syntheticCandleSource } from './syntheticCandleSource.js';

export function createCandleSource(
  config: Pick<Config, 'MARKET_DATA_PROVIDER' | 'MARKET_DATA_DIR' | 'BINANCE_BASE_URL'>,
): CandleSource {
  switch (config.MARKET_DATA_PROVIDER) {
    case 'binance':
      return createBinanceCandleSource({ baseUrl: config.BINANCE_BASE_URL });
    case 'file':
      return createFileCandleSource(config.MARKET_DATA_DIR);
    case 'synthetic':
      return syntheticCandleSource;
  }
}
