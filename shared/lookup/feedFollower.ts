/**
 * Follows the change feed (docs/storage.md: one partition per UTC minute, RowKey = writer's epoch ms
 * + unique id) and tells the view what to drop. Every poll re-reads from `overlapMs` before the start
 * of the last successful poll, because an entry can land behind one already seen: writers' clocks
 * differ, and a writer takes its timestamp before its insert completes. Entries seen before are
 * skipped by RowKey, so the overlap costs a read, not a second invalidation.
 *
 * Freshness: an entry committed before a poll starts is seen by that poll, so a write is dropped from
 * the view at most one period plus one poll after its 2xx (invariant 6 wants ≤ 2 s).
 */
import { logEvent, outsideLogContext } from '../log/logger';
import type { Change } from '../store/changeFeed';
import { withDeadline } from './deadline';

/** One change-feed entry (store/changeFeed.ts). */
export type FeedEntry = Change;

/** The feed as stored: the follower knows buckets are minutes, the adapter knows their names. */
export interface ChangeFeedReader {
  /** The bucket holding entries written at `ms`. */
  bucketOf(ms: number): string;
  /** Entries of `bucket` written at or after `sinceMs` (writer's clock), in any order. */
  readSince(bucket: string, sinceMs: number): Promise<FeedEntry[]>;
}

export interface FeedFollowerOptions {
  readonly reader: ChangeFeedReader;
  /** New entries, each once. */
  apply(entries: readonly FeedEntry[]): void;
  /** The follower cannot say what changed since its last position (gap too long): drop everything. */
  reset(reason: string): void;
  readonly pollMs: number;
  /** A poll taking longer counts as failed (storage unavailable). */
  readonly timeoutMs: number;
  /** Re-read window behind the last position; covers writer clock skew and slow inserts. Default 5 s. */
  readonly overlapMs?: number;
  /**
   * Longest gap the follower catches up on after an outage (one query per minute bucket); a longer
   * gap resets the view. The feed must be retained at least this long. Default 10 min.
   */
  readonly maxCatchUpMs?: number;
  readonly now?: () => number;
}

const MINUTE_MS = 60_000;

/** One line per transition (not per poll): an outage at 4 polls/s would flood the log otherwise. */
function log(event: string, fields: Record<string, unknown>): void {
  logEvent('warn', event, fields);
}

/** Abandoned (timed-out) polls still running: more would only pile requests onto a struggling store. */
const MAX_OUTSTANDING_POLLS = 3;
/** A read still pending after this many deadlines is taken for hung and no longer holds a place. */
const HUNG_AFTER_DEADLINES = 10;

export interface FeedHealth {
  /** The last poll succeeded. */
  readonly healthy: boolean;
  /** Start of the last successful poll: the view reflects every write acknowledged before it. */
  readonly freshAt: number;
  readonly consecutiveFailures: number;
}

export class FeedFollower {
  private readonly options: FeedFollowerOptions;
  private readonly now: () => number;
  private readonly overlapMs: number;
  private readonly maxCatchUpMs: number;
  /** RowKeys applied, with their time, while they can still come back in the overlap window. */
  private readonly seen = new Map<string, number>();
  private freshAtMs: number;
  private failures = 0;
  private readonly outstanding = new Set<{ readonly startedAt: number }>();
  private timer: NodeJS.Timeout | undefined;
  private catchingUp: Promise<void> | undefined;
  /** After stop(), a poll still in flight ends silently: its instance is shutting down. */
  private stopped = false;

  constructor(options: FeedFollowerOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.overlapMs = options.overlapMs ?? 5_000;
    this.maxCatchUpMs = options.maxCatchUpMs ?? 10 * MINUTE_MS;
    // Whatever the view loads from now on is at least this fresh; it starts empty.
    this.freshAtMs = this.now();
  }

  get health(): FeedHealth {
    return { healthy: this.failures === 0, freshAt: this.freshAtMs, consecutiveFailures: this.failures };
  }

  get freshAt(): number {
    return this.freshAtMs;
  }

  get healthy(): boolean {
    return this.failures === 0;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Polls now and every `pollMs`; the timer never keeps the process alive. Idempotent. */
  start(): void {
    if (this.timer !== undefined) return;
    this.stopped = false;
    // The first lookup request starts the timer; its polls are not part of that request.
    outsideLogContext(() => {
      this.timer = setInterval(() => void this.poll(), this.options.pollMs);
      this.timer.unref();
      void this.poll();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** A poll now, shared by every caller while it runs (requests that find the view stale wait on it). */
  catchUp(): Promise<void> {
    this.catchingUp ??= this.poll().finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  /** One poll; resolves when it is done or has timed out. Never rejects. */
  async poll(): Promise<void> {
    const startedAt = this.now();
    if (this.stillRunning(startedAt) >= MAX_OUTSTANDING_POLLS) {
      this.failed(`${MAX_OUTSTANDING_POLLS} earlier polls are still running`);
      return;
    }
    if (startedAt - this.freshAtMs > this.maxCatchUpMs) {
      // Reset before reading: the entries in the gap can no longer be read in reasonable time.
      this.options.reset(`change feed unread for ${Math.round((startedAt - this.freshAtMs) / 1000)} s`);
      this.seen.clear();
      this.freshAtMs = startedAt;
    }
    const since = this.freshAtMs - this.overlapMs;
    const work = this.read(since, startedAt + this.overlapMs);
    const ticket = { startedAt };
    this.outstanding.add(ticket);
    const settled = () => this.outstanding.delete(ticket);
    void work.then(settled, settled);
    try {
      const entries = await withDeadline(work, this.options.timeoutMs, 'change feed poll');
      this.applyNew(entries, since);
      // Monotonic: an abandoned poll that completes late must not move the position back.
      this.freshAtMs = Math.max(this.freshAtMs, startedAt);
      if (this.failures > 0 && !this.stopped) log('lookup.feed.recovered', { failedPolls: this.failures });
      this.failures = 0;
    } catch (err) {
      this.failed(err instanceof Error ? err.message : String(err));
    }
  }

  private failed(error: string): void {
    if (this.failures === 0 && !this.stopped) log('lookup.feed.unavailable', { error });
    this.failures++;
  }

  private stillRunning(now: number): number {
    for (const poll of this.outstanding) {
      if (now - poll.startedAt > HUNG_AFTER_DEADLINES * this.options.timeoutMs) this.outstanding.delete(poll);
    }
    return this.outstanding.size;
  }

  private async read(since: number, until: number): Promise<FeedEntry[]> {
    const buckets: string[] = [];
    for (let minute = Math.floor(since / MINUTE_MS) * MINUTE_MS; minute <= until; minute += MINUTE_MS) {
      buckets.push(this.options.reader.bucketOf(minute));
    }
    const pages = await Promise.all(buckets.map((bucket) => this.options.reader.readSince(bucket, since)));
    return pages.flat();
  }

  private applyNew(entries: readonly FeedEntry[], since: number): void {
    const fresh = entries.filter((e) => !this.seen.has(e.position));
    for (const e of fresh) this.seen.set(e.position, e.atMs);
    if (fresh.length > 0) this.options.apply(fresh);
    // Entries written before the next read's lower bound cannot come back: forget them.
    for (const [position, atMs] of this.seen) if (atMs < since) this.seen.delete(position);
  }
}
