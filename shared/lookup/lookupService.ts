/**
 * One lookup per process: the view, the change-feed follower that keeps it fresh, and the storage
 * health the HTTP answer reports. Created on the first lookup request (functions stay host-free: no
 * start-up hook), and its timer never keeps the process alive.
 */
import { logEvent } from '../log/logger';
import { lookupSettings, type LookupSettings } from './config';
import { FeedFollower, type ChangeFeedReader } from './feedFollower';
import { createStorageChangeFeed, createStorageFactsReader } from './storageFacts';
import type { RouteAnswer, RouteQuestion } from './types';
import { RoutingView, type FactsReader } from './view';

/** Invariant 6: the view reflects every write acknowledged more than this long ago. */
export const STALENESS_BOUND_MS = 2_000;

export interface LookupHealth {
  /** Storage is failing, or the view may be older than the staleness bound: answers are best effort. */
  readonly degraded: boolean;
  /** How long ago the view was last known to reflect every acknowledged write. */
  readonly stalenessMs: number;
}

export class LookupService {
  readonly view: RoutingView;
  readonly follower: FeedFollower;
  private readonly now: () => number;

  constructor(settings: LookupSettings, reader: FactsReader, feed: ChangeFeedReader, now: () => number = Date.now) {
    this.now = now;
    const view = new RoutingView({
      reader,
      routing: settings.routing,
      maxNumbers: settings.cacheMaxNumbers,
      maxAccounts: settings.cacheMaxAccounts,
      storageTimeoutMs: settings.storageTimeoutMs,
      feed: () => this.follower,
      now,
    });
    this.view = view;
    this.follower = new FeedFollower({
      reader: feed,
      apply: (entries) => view.apply(entries),
      reset: (reason) => {
        logEvent('warn', 'lookup.view.reset', { reason });
        view.reset();
      },
      pollMs: settings.feedPollMs,
      timeoutMs: settings.storageTimeoutMs,
      now,
    });
  }

  /**
   * Undefined when the view is within the staleness bound (the usual case: one clock read), else a
   * catch-up poll to await first. Not when storage is known down: then answers go out flagged.
   * Covers a follower that fell behind (a stalled event loop, a paused instance).
   */
  freshness(): Promise<void> | undefined {
    if (!this.follower.running) this.follower.start();
    if (this.now() - this.follower.freshAt <= STALENESS_BOUND_MS || !this.follower.healthy) return undefined;
    return this.follower.catchUp();
  }

  /** The warm path: an answer from memory, or undefined when storage must be read. */
  answerFromMemory(question: RouteQuestion): RouteAnswer | undefined {
    if (!this.follower.running) this.follower.start();
    return this.view.answerFromMemory(question);
  }

  answer(question: RouteQuestion): Promise<RouteAnswer> {
    if (!this.follower.running) this.follower.start();
    return this.view.answer(question);
  }

  health(): LookupHealth {
    const stalenessMs = Math.max(0, this.now() - this.follower.freshAt);
    return { degraded: stalenessMs > STALENESS_BOUND_MS || this.view.storageUnavailable(), stalenessMs };
  }

  stop(): void {
    this.follower.stop();
  }
}

let instance: LookupService | undefined;

export function lookupService(): LookupService {
  if (instance === undefined) {
    const settings = lookupSettings();
    instance = new LookupService(settings, createStorageFactsReader(settings.storageTimeoutMs), createStorageChangeFeed(settings.storageTimeoutMs));
  }
  return instance;
}

/** Stops the feed timer (tests, before their storage goes away). The next request starts afresh. */
export function stopLookupService(): void {
  instance?.stop();
  instance = undefined;
}
