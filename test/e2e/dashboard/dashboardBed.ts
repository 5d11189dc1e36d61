/**
 * A dashboard suite's set-up, registered as jest hooks: one API node and its workers on a private
 * redis-server, headless Chromium, and after every test the check that no page logged a console
 * error or threw. The returned bed is filled in before the first test runs.
 */
import { jest } from '@jest/globals';
import { createClient } from '../../../router/client.js';
import { type ApiCluster, startApiCluster } from '../api/apiCluster.js';
import { launchBrowser, type TestBrowser } from './browser.js';

type TypedApi = ReturnType<typeof createClient>['api'];

export interface DashboardBed {
  cluster: ApiCluster;
  browser: TestBrowser;
  /** The API node's base URL, which also serves the dashboard. */
  base: string;
  /** Runs `work` with a typed client signed in as `user`, as that user's script would. */
  asUser<T>(user: string, work: (api: TypedApi) => Promise<T>): Promise<T>;
}

export function useDashboardBed(options: Parameters<typeof startApiCluster>[0]): DashboardBed {
  jest.setTimeout(240_000);
  const bed = {
    async asUser<T>(user: string, work: (api: TypedApi) => Promise<T>): Promise<T> {
      const client = createClient({ url: bed.base, token: await bed.cluster.token(user) });
      try {
        return await work(client.api);
      } finally {
        client.close();
      }
    },
  } as DashboardBed;
  beforeAll(async () => {
    bed.cluster = await startApiCluster(options);
    bed.base = bed.cluster.apis[0]!;
    bed.browser = await launchBrowser();
  });
  afterAll(async () => {
    await bed.browser?.close();
    await bed.cluster?.stop();
  });
  afterEach(() => expect(bed.browser.problems).toEqual([]));
  return bed;
}
