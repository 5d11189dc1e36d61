/**
 * What a process opens when MONGODB_URL is set: the connection (checked at once, so a bad or
 * unreachable URL stops the process with a message naming the variable), the history of
 * finished analyses with its indexes, and the GridFS chart store.
 */
import { createGridFsChartStore, type GridFsChartStore } from '../charts/gridFsChartStore.js';
import { connectMongo, type MongoConnection } from './mongoConnection.js';
import { type AnalysisHistory, createMongoHistoryStore } from './mongoHistoryStore.js';

export interface MongoStores {
  connection: MongoConnection;
  history: AnalysisHistory;
  charts: GridFsChartStore;
  /** Whether MongoDB answers now (/ready). */
  ping(): Promise<boolean>;
}

export async function openMongoStores(
  url: string,
  options: { historyTtlSeconds: number; appName: string; databaseName?: string },
): Promise<MongoStores> {
  const connection = await connectMongo(url, {
    appName: options.appName,
    ...(options.databaseName ? { databaseName: options.databaseName } : {}),
  });
  try {
    const history = createMongoHistoryStore(connection.db, { historyTtlSeconds: options.historyTtlSeconds });
    const charts = createGridFsChartStore(connection.db);
    await Promise.all([history.ensureIndexes(), charts.ensureIndexes()]);
    return {
      connection,
      history,
      charts,
      ping: () =>
        connection.db.command({ ping: 1 }).then(
          () => true,
          () => false,
        ),
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}
