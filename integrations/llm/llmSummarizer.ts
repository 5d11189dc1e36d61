/**
 * LLM summaries through an OpenAI-compatible Chat Completions endpoint (`openai` 6.x).
 * The model gets the facts and is told to use only them (analysis/summary/buildSummaryPrompt).
 * No fallback here: the summary stage (pipeline/writeSummary.ts) falls back to the
 * rule-based text and records summary_source. Failures are classified: timeouts, connection errors, 429 and 5xx are
 * RetryableFailure; other 4xx and an empty answer are PermanentFailure; an aborted job
 * rejects with its signal's reason, as every other stage does.
 */
import OpenAI from 'openai';
import type { Config } from '../../config/env.js';
import { buildSummaryPrompt } from '../../analysis/summary/buildSummaryPrompt.js';
import type { SummaryFacts } from '../../analysis/summary/summaryFacts.js';
import { PermanentFailure, RetryableFailure } from '../../storage/failures.js';

export interface LlmSummarizer {
  summarize(facts: SummaryFacts, signal: AbortSignal): Promise<string>;
}

export interface LlmOptions {
  /** For the whole call, retries included; the openai default of 10 minutes would outlive the job. */
  timeoutMs?: number;
  /** One quick retry at most: the rule-based summary is a fine answer too. */
  maxRetries?: number;
  maxTokens?: number;
}

export const DEFAULT_LLM_TIMEOUT_MS = 20_000;

/** Undefined when neither OPENAI_API_KEY nor OPENAI_BASE_URL is set: no LLM configured. */
export function createLlmSummarizer(
  config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL'>,
  options: LlmOptions = {},
): LlmSummarizer | undefined {
  if (!config.OPENAI_API_KEY && !config.OPENAI_BASE_URL) return undefined;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const client = new OpenAI({
    // A local OpenAI-compatible server needs no key, but the client refuses to start without one.
    apiKey: config.OPENAI_API_KEY ?? 'not-needed-for-a-local-server',
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
    timeout: timeoutMs,
    maxRetries: options.maxRetries ?? 1,
  });
  const where = config.OPENAI_BASE_URL ?? 'the OpenAI API';
  return {
    async summarize(facts, signal) {
      const prompt = buildSummaryPrompt(facts);
      // Our own deadline beside the client's: the client recognises its timeout by the abort
      // error's name, which a wrapped DOMException can lose (as under jest's VM realms).
      const deadline = AbortSignal.timeout(timeoutMs);
      let completion;
      try {
        completion = await client.chat.completions.create(
          {
            model: config.OPENAI_MODEL,
            temperature: 0,
            max_tokens: options.maxTokens ?? 400,
            messages: [
              { role: 'system', content: prompt.system },
              { role: 'user', content: prompt.user },
            ],
          },
          { signal: AbortSignal.any([signal, deadline]), timeout: timeoutMs },
        );
      } catch (error) {
        throw classify(error, signal, deadline.aborted, where, config.OPENAI_MODEL, timeoutMs);
      }
      const text = completion.choices[0]?.message?.content?.trim();
      if (!text)
        throw new PermanentFailure(
          `LLM ${config.OPENAI_MODEL} at ${where} returned no summary text (finish reason ${completion.choices[0]?.finish_reason ?? 'none'})`,
        );
      return text;
    },
  };
}

function classify(
  error: unknown,
  signal: AbortSignal,
  timedOut: boolean,
  where: string,
  model: string,
  timeoutMs: number,
): unknown {
  if (signal.aborted) return signal.reason ?? error;
  if (timedOut || error instanceof OpenAI.APIConnectionTimeoutError)
    return new RetryableFailure(`LLM ${model} at ${where} did not answer within ${timeoutMs} ms`, undefined, {
      cause: error,
    });
  if (error instanceof OpenAI.APIUserAbortError) return error;
  if (error instanceof OpenAI.APIConnectionError)
    return new RetryableFailure(
      `cannot reach the LLM at ${where}: ${error.message}; check OPENAI_BASE_URL`,
      undefined,
      { cause: error },
    );
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const status = Number(error.status);
    if (status === 429 || status >= 500) {
      const headers = error.headers as Headers | undefined;
      const seconds = Number(headers?.get('retry-after'));
      return new RetryableFailure(
        `LLM ${model} at ${where} failed with HTTP ${status}: ${error.message}`,
        Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined,
        { cause: error },
      );
    }
    const hint =
      status === 401 || status === 403
        ? '; check OPENAI_API_KEY'
        : status === 404
          ? '; check OPENAI_MODEL and OPENAI_BASE_URL'
          : '';
    return new PermanentFailure(
      `LLM ${model} at ${where} refused the request with HTTP ${status}: ${error.message}${hint}`,
      { cause: error },
    );
  }
  return error;
}
