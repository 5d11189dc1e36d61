/** The resolver of analysis.immediate: a small analysis answered in the request, computed in the thread pool. */
import { TRPCError } from '@trpc/server';
import { candleCount } from '../../analysis/intervals.js';
import { newAnalysisId } from '../../storage/jobQueue.js';
import type { AuthUser } from '../auth.js';
import type { Context } from '../context.js';
import { PoolRefused } from '../immediate/analysisPool.js';
import { publicMessage } from '../publicErrors.js';
import { withinImmediateShare } from './immediateShare.js';
import type { AnalysisRequest } from '../schemas.js';

const REFUSALS = {
  busy: 'TOO_MANY_REQUESTS',
  timeout: 'TIMEOUT',
  closed: 'SERVICE_UNAVAILABLE',
  permanent: 'UNPROCESSABLE_CONTENT',
  failed: 'INTERNAL_SERVER_ERROR',
} as const;

export async function runImmediate(ctx: Context & { user: AuthUser }, input: AnalysisRequest) {
  const interval = input.interval;
  const threshold = ctx.services.config.BACKGROUND_ANALYSIS_THRESHOLD;
  const count = candleCount(interval, input.timeframe) ?? 0;
  if (count > threshold) {
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message: `timeframe: ${input.timeframe} at ${interval} is ${count} candles, more than the ${threshold} an immediate analysis allows; queue it with POST /analyze/${input.symbol}/${interval} (analysis.queue)`,
    });
  }
  const analysisId = newAnalysisId();
  const started = new Date().toISOString();
  try {
    const outcome = await withinImmediateShare(ctx.services, ctx.user.id, () =>
      ctx.services.pool.run({ analysisId, symbol: input.symbol, interval, timeframe: input.timeframe }),
    );
    return {
      analysis_id: analysisId,
      user_id: ctx.user.id,
      symbol: input.symbol,
      interval,
      timeframe: input.timeframe,
      status: 'completed' as const,
      created_at: started,
      updated_at: new Date().toISOString(),
      image_url: ctx.services.chartSigner.signImageUrl(outcome.imageUrl),
      llm_summary: outcome.summary,
      summary_source: outcome.summarySource,
      analysis_data: outcome.analysisData,
    };
  } catch (error) {
    // The thread's message comes from the market-data and LLM clients: for the log, and without server details for the client.
    if (error instanceof PoolRefused)
      throw new TRPCError({ code: REFUSALS[error.reason], message: publicMessage(error.message), cause: error });
    throw error;
  }
}
