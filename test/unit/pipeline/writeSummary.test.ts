/**
 * The summary stage and the LLM gate, in process: an LLM that answers, fails or is refused by
 * an open breaker; the rule-based fallback and what the gate is told. Time is moved by hand.
 */
import pino from 'pino';
import { analyzeSeries } from '../../../analysis/analyzeSeries.js';
import type { LlmSummarizer } from '../../../integrations/llm/llmSummarizer.js';
import { type BreakerChange, createBreakerGate, type LlmGate } from '../../../pipeline/llmGate.js';
import { writeSummary } from '../../../pipeline/writeSummary.js';
import { RetryableFailure } from '../../../storage/failures.js';
import { pathCandles, seriesOf } from '../analysis/candleBuilders.js';

const series = seriesOf(pathCandles([100, 106, 102, 106.2, 100]));
const report = analyzeSeries(series);
const silent = pino({ level: 'silent' });
const noSignal = new AbortController().signal;

function llmThat(answer: () => Promise<string>): LlmSummarizer & { calls: number } {
  const llm = { calls: 0, summarize: () => (llm.calls++, answer()) };
  return llm;
}

function recordingGate(allowed: boolean): LlmGate & { reports: boolean[] } {
  const reports: boolean[] = [];
  return { reports, permit: () => Promise.resolve(allowed), report: (ok) => void reports.push(ok) };
}

const summarize = (llm: LlmSummarizer | undefined, gate: LlmGate, signal = noSignal) =>
  writeSummary('analysis_TEST', series, report, { llm, gate, log: silent }, signal);

test('an LLM that answers writes the summary, and the gate hears of the success', async () => {
  const gate = recordingGate(true);
  expect(
    await summarize(
      llmThat(async () => 'from the model'),
      gate,
    ),
  ).toEqual({ text: 'from the model', source: 'llm' });
  expect(gate.reports).toEqual([true]);
});

test('a failing LLM falls back to the rule-based text and is reported as a failure', async () => {
  const gate = recordingGate(true);
  const summary = await summarize(
    llmThat(async () => Promise.reject(new RetryableFailure('HTTP 500'))),
    gate,
  );
  expect(summary.source).toBe('rule-based');
  expect(summary.text.length).toBeGreaterThan(20);
  expect(gate.reports).toEqual([false]);
});

test('a closed gate, or no LLM at all, means the rule-based text without a call', async () => {
  const llm = llmThat(async () => 'never');
  expect((await summarize(llm, recordingGate(false))).source).toBe('rule-based');
  expect(llm.calls).toBe(0);
  expect((await summarize(undefined, recordingGate(true))).source).toBe('rule-based');
});

test('an aborted call rejects with the abort and reports nothing', async () => {
  const gate = recordingGate(true);
  const controller = new AbortController();
  const llm = llmThat(() => (controller.abort(new Error('job cancelled')), Promise.reject(new Error('aborted'))));
  await expect(summarize(llm, gate, controller.signal)).rejects.toThrow('job cancelled');
  expect(gate.reports).toEqual([]);
});

test('a breaker gate opens at the threshold, refuses until the reset timeout, then lets one trial through', async () => {
  let now = 0;
  const changes: BreakerChange[] = [];
  const gate = createBreakerGate(
    { failureThreshold: 2, resetTimeoutMs: 1000 },
    () => now,
    (change) => changes.push(change),
  );
  const failing = llmThat(async () => Promise.reject(new RetryableFailure('HTTP 500')));
  await summarize(failing, gate);
  await summarize(failing, gate);
  expect(changes).toEqual([{ from: 'closed', to: 'open', consecutiveFailures: 2 }]);
  expect((await summarize(failing, gate)).source).toBe('rule-based');
  expect(failing.calls).toBe(2);

  now = 1000;
  await expect(gate.permit()).resolves.toBe(true);
  await expect(gate.permit()).resolves.toBe(false);
  gate.report(true);
  expect(changes.map((change) => change.to)).toEqual(['open', 'half-open', 'closed']);
  expect(
    await summarize(
      llmThat(async () => 'back'),
      gate,
    ),
  ).toEqual({ text: 'back', source: 'llm' });
});
