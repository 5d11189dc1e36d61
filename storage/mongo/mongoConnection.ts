/**
 * The MongoDB connection of a process, opened from MONGODB_URL. It fails fast, with a message
 * naming the variable, when the URL is malformed or nothing answers: a process that was
 * told to archive into MongoDB must not start without it.
 */
import { MongoClient, type Db } from 'mongodb';

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export interface MongoConnectOptions {
  /** How long to look for a reachable server before giving up (the driver's serverSelectionTimeoutMS). */
  timeoutMs?: number;
  /** Overrides the database named in the URL's path (tests use one database per suite). */
  databaseName?: string;
  appName?: string;
}

export const DEFAULT_DATABASE = 'candela';
const DEFAULT_TIMEOUT_MS = 5000;

export class MongoConfigurationError extends Error {
  override readonly name = 'MongoConfigurationError';
}

/** The URL as it may appear in a log: the password replaced. */
export function redactMongoUrl(url: string): string {
  return url.replace(/^([a-z+]+:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/** The database in the URL's path (`mongodb://host/DB?…`), or ours when the path names none. */
export function databaseNameOf(url: string): string {
  const path = /^[a-z+]+:\/\/[^/]*\/([^?]*)/i.exec(url)?.[1];
  return path ? decodeURIComponent(path) : DEFAULT_DATABASE;
}

export async function connectMongo(url: string, options: MongoConnectOptions = {}): Promise<MongoConnection> {
  const shown = redactMongoUrl(url);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let client: MongoClient;
  try {
    client = new MongoClient(url, {
      serverSelectionTimeoutMS: timeoutMs,
      connectTimeoutMS: timeoutMs,
      appName: options.appName ?? 'candela',
    });
  } catch (error) {
    throw new MongoConfigurationError(
      `MONGODB_URL is not a valid MongoDB connection string (${shown}): ${(error as Error).message}. Expected mongodb://host[:port][/database] or mongodb+srv://…`,
    );
  }
  const db = client.db(options.databaseName ?? databaseNameOf(url));
  try {
    await client.connect();
    await db.command({ ping: 1 });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new MongoConfigurationError(
      `MONGODB_URL: no MongoDB answered at ${shown} within ${timeoutMs} ms (${(error as Error).message}). Start MongoDB, fix MONGODB_URL, or unset it to run without the history archive`,
    );
  }
  return { client, db, close: () => client.close() };
}
