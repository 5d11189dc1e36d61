/** Short chaos run: concurrent typed clients queue and follow jobs; no errors, memory back near its baseline. */
import { jest } from '@jest/globals';
import { expectNoLossNoDuplicates } from './chaosAssertions.js';
import { loadClients, loadClientsShort } from './scenarios/loadClients.js';

jest.setTimeout(loadClientsShort.deadlineMs + 30_000);

test('clients queue and follow jobs without an error', async () => {
  const figures = await loadClients(loadClientsShort);
  expectNoLossNoDuplicates(figures);
  expect(figures.client_errors).toBe(0);
  expect(figures.jobs_followed).toBeGreaterThanOrEqual(loadClientsShort.clients);
  expect(figures.api_rss_after_mb).toBeGreaterThan(0);
});
