import type { Config } from "./config.server";
import type { Db } from "./db/client.server";

export type JobOptions = { singletonKey?: string; startAfter?: Date | number };

/** What a job handler or a route needs to enqueue work; pg-boss behind it. */
export type JobQueue = {
  send: (name: string, data: object, options?: JobOptions) => Promise<void>;
};

/** Everything the server side needs, built once at boot and passed to every request. */
export type Services = {
  config: Config;
  db: Db;
  queue: JobQueue;
  /** Signs sessions, form stamps and the daily visitor hash (from SESSION_SECRET, or kept in the data dir). */
  sessionSecret: string;
  /** Told after a commit that changed what the public sees of a CV (page caches drop it). */
  onPublicCvChanged?: (slug: string) => void;
};
