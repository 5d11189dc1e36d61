/**
 * Wraps the job actor factory with the shared cache of identical analyses: before a job
 * runs, it asks the cache (storage/analysisCache.ts). The owner of its bar's analysis runs the
 * real job actor (a child of this one) and shares its result; a job that finds the result
 * completes from it without running the pipeline, keeping its own id, owner and progress. A
 * job waiting for an owner still computing stays `processing`, its claim refreshed by its
 * consumer as for any running job.
 */
import { isInterval } from '../analysis/intervals.js';
import { type AnalysisCache, cacheKeyFor, currentBar } from '../storage/analysisCache.js';
import { intervalMs } from '../analysis/intervals.js';
import type { JobActorFactory } from './jobActorFactory.js';
import type { JobMessage } from './jobActor.js';
import type { JobOutcome } from './jobOutcome.js';
import { type ActorRef, asParent, send, spawnActor, stopActor } from './typedActor.js';

type SharedMessage =
  JobMessage | { type: 'cache.hit'; outcome: JobOutcome } | { type: 'cache.owner' } | { type: 'cache.unavailable' };

interface SharedState {
  inner?: ActorRef<JobMessage>;
  ended: boolean;
}

export function withSharedAnalyses(inner: JobActorFactory, cache: AnalysisCache, dataSource: string): JobActorFactory {
  return (parent, options) => {
    const { record } = options;
    if (!isInterval(record.interval)) return inner(parent, options);
    const interval = record.interval;
    const now = options.clock.now();
    const identity = { dataSource, symbol: record.symbol, interval, timeframe: record.timeframe };
    // A scheduled child analyses closed candles only: not the same result as a job of the bar that reads them all.
    const cacheKey =
      cacheKeyFor(identity, now) + (record.candles_until === undefined ? '' : `:until${record.candles_until}`);
    const barEndsAt = currentBar(interval, now) + intervalMs(interval);
    const waiting = new AbortController();
    let reported = false;
    const report = (outcome: JobOutcome) => {
      if (reported) return;
      reported = true;
      options.onOutcome(outcome);
    };

    return spawnActor<SharedState, SharedMessage>(parent, {
      name: record.analysis_id.toLowerCase(),
      initialState: { ended: false },
      receive(state, message, self) {
        switch (message.type) {
          case 'job.start':
            cache.acquire(cacheKey, record.analysis_id, waiting.signal).then(
              (decision) => {
                if (decision?.kind === 'hit')
                  send(self, { type: 'cache.hit', outcome: { status: 'completed', result: decision.result } });
                else if (decision?.kind === 'owner') send(self, { type: 'cache.owner' });
              },
              // The cache is an optimisation: without it the job simply runs.
              () => send(self, { type: 'cache.unavailable' }),
            );
            return state;
          case 'cache.hit':
            if (state.ended) return state;
            report(message.outcome);
            stopActor(self);
            return { ...state, ended: true };
          case 'cache.owner':
          case 'cache.unavailable': {
            if (state.ended) return state;
            const owner = message.type === 'cache.owner';
            const child = inner(asParent(self), {
              ...options,
              onOutcome: (outcome) => {
                const result = outcome.status === 'completed' ? outcome.result : undefined;
                const release = owner
                  ? cache.release(cacheKey, record.analysis_id, result, barEndsAt)
                  : Promise.resolve();
                // Shared before the job is reported, so its twins waiting now find the result.
                release.catch(() => undefined).finally(() => report(outcome));
              },
            });
            send(child, { type: 'job.start' });
            return { ...state, inner: child };
          }
          case 'job.abort':
            if (state.inner) {
              send(state.inner, message);
              return state;
            }
            waiting.abort();
            report(
              message.reason === 'cancelled'
                ? { status: 'cancelled', reason: 'cancelled by the user' }
                : message.reason === 'timeout'
                  ? { status: 'failed', error: 'timed out waiting for an identical analysis', retryable: true }
                  : { status: 'abandoned', reason: message.reason },
            );
            stopActor(self);
            return { ...state, ended: true };
          default:
            if (state.inner) send(state.inner, message);
            return state;
        }
      },
    });
  };
}
