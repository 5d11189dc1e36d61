/** `candela api`: the HTTP + WebSocket API on PORT. */
import type { Config } from '../../config/env.js';
import { createLogger } from '../../config/logger.js';
import { startApiNode } from '../../router/apiNode.js';
import { stopOnSignals } from '../processLifecycle.js';

export async function runApi(config: Config): Promise<void> {
  const log = createLogger('candela-api', config.LOG_LEVEL);
  const node = await startApiNode(config, log);
  stopOnSignals(log, () => node.shutdown(config.ANALYSIS_SHUTDOWN_GRACE * 1000));
}
