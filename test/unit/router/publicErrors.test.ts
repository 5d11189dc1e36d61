/** Server details are taken out of messages a client sees. */
import { publicMessage } from '../../../router/publicErrors.js';

test('absolute paths become file names, upstream URLs a placeholder, file listings are dropped', () => {
  const fromFileSource =
    'no candle file for BTCUSDT 2h: looked for /srv/candela/market-data/BTCUSDT-2h.csv and /srv/candela/market-data/BTCUSDT-2h.json; BTCUSDT is available for 1h, 4h (add the file, or set MARKET_DATA_PROVIDER=binance or synthetic)';
  const cleaned = publicMessage(fromFileSource);
  expect(cleaned).toBe(
    'no candle file for BTCUSDT 2h: looked for BTCUSDT-2h.csv and BTCUSDT-2h.json (add the file, or set MARKET_DATA_PROVIDER=binance or synthetic)',
  );
  expect(
    publicMessage('cannot reach Binance at https://internal-proxy.corp:8443/binance for BTCUSDT: ECONNREFUSED'),
  ).toBe('cannot reach Binance at <upstream> for BTCUSDT: ECONNREFUSED');
  expect(publicMessage('LLM gpt-4o-mini at http://10.0.0.5:8080/v1 returned no summary text')).toBe(
    'LLM gpt-4o-mini at <upstream> returned no summary text',
  );
  expect(
    publicMessage("cannot read /home/ops/data/x.csv: EACCES: permission denied, open '/home/ops/data/x.csv'"),
  ).toBe("cannot read x.csv: EACCES: permission denied, open 'x.csv'");
  expect(publicMessage('no file for DOGEUSDT at all; no file for DOGEUSDT at all')).toBe('no file for DOGEUSDT at all');
});

test('ordinary messages are left alone', () => {
  expect(publicMessage('symbol: symbol must be 2-20 upper-case letters or digits, e.g. BTCUSDT')).toBe(
    'symbol: symbol must be 2-20 upper-case letters or digits, e.g. BTCUSDT',
  );
  expect(publicMessage('timeframe 1h at 1d is 0 candles; at most 1000 are allowed')).toBe(
    'timeframe 1h at 1d is 0 candles; at most 1000 are allowed',
  );
});
