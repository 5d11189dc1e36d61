/** What the analysis stages need from the outside world, the same for a worker's job and an immediate analysis. */
import type { LlmSummarizer } from '../integrations/llm/llmSummarizer.js';
import type { CandleSource } from '../integrations/marketData/candleSource.js';
import type { SvgRasterizer } from '../analysis/chart/svgRasterizer.js';
import type { ChartStore } from '../storage/charts/chartStore.js';

export interface PipelineServices {
  candles: CandleSource;
  charts: ChartStore;
  /**
   * SVG to PNG at analysis time; injected so analysis/ stays free of native and font loading.
   * Absent (a worker's jobs): only the SVG is stored, and the API draws the PNG when its link
   * is first fetched, so a job spends no CPU on an image nobody may look at.
   */
  rasterize?: SvgRasterizer;
  /** Undefined when no LLM is configured: summaries are rule-based. */
  llm: LlmSummarizer | undefined;
}
