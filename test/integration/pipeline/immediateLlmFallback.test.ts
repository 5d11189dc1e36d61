/**
 * The immediate analysis in its real thread, with an LLM on loopback (the OpenAI stub): a
 * working LLM writes the summary; a failing one falls back to the rule-based text, and after
 * ANALYSIS_CIRCUIT_FAILURE_THRESHOLD failures the thread's breaker stops calling it at all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../config/env.js';
import { type AnalysisPool, createAnalysisPool } from '../../../router/immediate/analysisPool.js';
import { newAnalysisId } from '../../../storage/jobQueue.js';
import { type OpenAiStub, startOpenAiStub } from '../../support/openaiStub.js';

let dataDir: string;
let llm: OpenAiStub;
let pool: AnalysisPool;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'candela-immediate-llm-'));
  llm = await startOpenAiStub();
  const config = loadConfig({
    DATA_DIR: dataDir,
    MARKET_DATA_PROVIDER: 'synthetic',
    OPENAI_BASE_URL: llm.baseUrl,
    ANALYSIS_CIRCUIT_FAILURE_THRESHOLD: '2',
    ANALYSIS_CIRCUIT_RESET_TIMEOUT: '600',
    LOG_LEVEL: 'silent',
  });
  // One thread, so every task meets the same breaker.
  pool = createAnalysisPool({ size: 1, config, timeoutMs: 30_000, maxWaiting: 4 });
});
afterAll(async () => {
  await pool.close();
  await llm.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const analyse = () => pool.run({ analysisId: newAnalysisId(), symbol: 'BTCUSDT', interval: '1h', timeframe: '7d' });

test('a working LLM writes the immediate summary', async () => {
  llm.setMode('ok');
  expect(await analyse()).toMatchObject({ summary: 'A summary written by the stub LLM.', summarySource: 'llm' });
});

test('a failing LLM gives the rule-based summary; past the threshold the breaker stops calling it', async () => {
  llm.setMode('error-500');
  const before = llm.requests().length;
  const first = await analyse();
  expect(first).toMatchObject({ summarySource: 'rule-based', analysisData: { symbol: 'BTCUSDT' } });
  expect(first.summary).not.toBe('A summary written by the stub LLM.');
  expect(first.summary).toMatch(/SYNTHETIC DATA/);
  expect((await analyse()).summarySource).toBe('rule-based');
  const afterTwoFailures = llm.requests().length;
  expect(afterTwoFailures).toBeGreaterThan(before + 1);

  // Open now: even a recovered LLM is not asked until the reset timeout has passed.
  llm.setMode('ok');
  expect((await analyse()).summarySource).toBe('rule-based');
  expect(llm.requests().length).toBe(afterTwoFailures);
});
