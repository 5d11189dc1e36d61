/** The stand-in's whole data set: collections by namespace (`db.collection`), created on first write like a real server does. */
import { Collection } from './mongoCollection.js';
import { namespaceNotFound } from './mongoErrors.js';

export class MongoData {
  private readonly collections = new Map<string, Collection>();

  existing(namespace: string): Collection | undefined {
    return this.collections.get(namespace);
  }

  /** For reads: a missing collection reads as empty, as on a real server. */
  readable(namespace: string): Collection {
    return this.collections.get(namespace) ?? new Collection(namespace);
  }

  writable(namespace: string): { collection: Collection; created: boolean } {
    const existing = this.collections.get(namespace);
    if (existing) return { collection: existing, created: false };
    const collection = new Collection(namespace);
    this.collections.set(namespace, collection);
    return { collection, created: true };
  }

  required(namespace: string): Collection {
    const collection = this.collections.get(namespace);
    if (!collection) throw namespaceNotFound(namespace);
    return collection;
  }

  drop(namespace: string): Collection {
    const collection = this.required(namespace);
    this.collections.delete(namespace);
    return collection;
  }

  dropDatabase(database: string): void {
    for (const namespace of [...this.collections.keys()])
      if (namespace.startsWith(`${database}.`)) this.collections.delete(namespace);
  }
}
