/** The shared analysis cache's script of the script table (storage/lua/releaseAnalysisCache.lua). */
import { integer } from './replies.js';
import { defineScript } from './scriptDefinition.js';

export const releaseAnalysisCache = defineScript({
  name: 'releaseAnalysisCache',
  file: 'releaseAnalysisCache.lua',
  keys: ['owner', 'result'],
  args: ['owner', 'result', 'ttlMs'],
  parseReply: (reply, fail) => integer(reply, fail),
});

export const CACHE_SCRIPTS = [releaseAnalysisCache] as const;
