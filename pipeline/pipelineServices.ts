/** What the analysis stages need from the outside world, the same for a worker's job and an immediate analysis. */
import type { LlmSummarizer } from '../integrations/llm/llmSummarizer.js';
import type { CandleSource } from '../integrations/marketData/candleSource.js';
import type { SvgRasterizer } from '../analysis/chart/svgRasterizer.js';
import type { ChartStore } from '../storage/charts/chartStore.js';

export interface PipelineServices {
  candles: CandleSource;
  charts: ChartStore;
  /** SVG to PNG; injected so analysis/ stays free of wasm and font loading. */
  rasterize: SvgRasterizer;
  /** Undefined when no LLM is configured: summaries are rule-based. */
  llm: LlmSummarizer | undefined;
}
