/**
 * The MongoDB a suite runs against: a real one when MONGODB_URL is set (in a database of its
 * own, dropped afterwards), else the wire-protocol stand-in.
 */
import { randomBytes } from 'node:crypto';
import { connectMongo, type MongoConnection } from '../../storage/mongo/mongoConnection.js';
import { startMongoStandIn } from './mongoStandIn.js';

export interface MongoTarget {
  label: string;
  /** A connection string for this suite's database, for processes the suite starts. */
  url: string;
  connection: MongoConnection;
  stop(): Promise<void>;
}

export async function startMongoTarget(suite: string): Promise<MongoTarget> {
  const databaseName = `candela_test_${suite}_${randomBytes(4).toString('hex')}`;
  const realUrl = process.env.MONGODB_URL;
  if (realUrl) {
    const connection = await connectMongo(realUrl, { databaseName });
    return {
      label: 'MongoDB at MONGODB_URL',
      url: withDatabase(realUrl, databaseName),
      connection,
      async stop() {
        await connection.db.dropDatabase();
        await connection.close();
      },
    };
  }
  const standIn = await startMongoStandIn({ database: databaseName });
  const connection = await connectMongo(standIn.url, { timeoutMs: 2000 });
  return {
    label: 'the MongoDB stand-in',
    url: standIn.url,
    connection,
    async stop() {
      await connection.close();
      await standIn.stop();
    },
  };
}

/** The URL with its path naming `database` (its query string kept). */
function withDatabase(url: string, database: string): string {
  const match = /^([a-z+]+:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/i.exec(url);
  if (!match) throw new Error('MONGODB_URL: not a connection string this suite can point at a database of its own');
  return `${match[1]!}/${database}${match[3] ?? ''}`;
}
