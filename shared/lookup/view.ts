/**
 * The lookup's in-memory view: number facts (with negative entries for unprovisioned numbers),
 * account facts and subdomain claims, each in a bounded LRU, filled on demand by point reads and
 * dropped by the change feed (feedFollower.ts).
 *
 * `decide` is pure and synchronous, so the view runs it optimistically against memory: a facts
 * object that records what it could not find. A warm call is one decide over memory, no I/O and no
 * promise. A cold call loads what was missing (one read per fact, shared by concurrent callers) and
 * decides again, which then finds the next missing fact if any (a number's account, a subdomain's
 * account): rounds, not a hard-coded list of what `decide` reads.
 *
 * Races with writers: a fill whose key is invalidated while its read is in flight is not cached (it
 * may have read the state before the write); it still answers the request that read it, which is
 * no older than a request served a moment earlier.
 */
import { errorText, logEvent } from '../log/logger';
import { withDeadline } from './deadline';
import { decide, NO_CONTACT_HOSTS } from './decide';
import type { FeedEntry } from './feedFollower';
import { LruCache } from './lru';
import type { AccountFacts, NumberFacts, RouteAnswer, RouteQuestion, RoutingFacts, RoutingSettings } from './types';

/** Storage, as the view needs it. */
export interface FactsReader {
  /** The committed number (a number being written is resolved from its account partition). */
  readNumber(telephoneNumber: string): Promise<NumberFacts | undefined>;
  readAccount(accountName: string): Promise<AccountFacts | undefined>;
  /** The account holding the label's claim. Unverified: a crashed write can leave a claim behind. */
  readSubdomainClaim(label: string): Promise<string | undefined>;
}

export interface ViewOptions {
  readonly reader: FactsReader;
  readonly routing: RoutingSettings;
  readonly maxNumbers: number;
  readonly maxAccounts: number;
  readonly storageTimeoutMs: number;
  /** Whether the change feed is being read successfully, and since when the view is known fresh. */
  readonly feed?: () => { readonly healthy: boolean; readonly freshAt: number };
  readonly now?: () => number;
}

/**
 * The answer to a question whose facts cannot be read (storage unavailable, view cold): SIP 503 so
 * the SBC fails over, never cached by the SBC (ttl 0).
 */
export const PROVISIONING_DATA_UNAVAILABLE: RouteAnswer = Object.freeze({
  action: 'reject',
  sipStatus: 503,
  reason: 'ProvisioningDataUnavailable',
  callProtection: false,
  accountName: null,
  teamsTenantId: null,
  contactHosts: NO_CONTACT_HOSTS,
  customHeader: null,
  defaulted: false,
  defaultedBy: null,
  ttlSeconds: 0,
});

/** decide reads at most a number, a subdomain and their accounts: two rounds; more means churn. */
const MAX_ROUNDS = 4;

type FactKind = 'number' | 'account' | 'subdomain';
interface Miss {
  readonly kind: FactKind;
  readonly key: string;
}

const FAILED = Symbol('read failed');
type Loaded<T> = T | null | typeof FAILED;

interface Fill<T> {
  /** Set when the key was invalidated during the read: the result may predate the write. */
  stale: boolean;
  readonly promise: Promise<Loaded<T>>;
}

/** Facts read for one request: used by its later rounds even if the cache could not keep them. */
interface Loads {
  readonly numbers: Map<string, NumberFacts | null>;
  readonly accounts: Map<string, AccountFacts | null>;
  readonly subdomains: Map<string, string | null>;
}

export interface ViewStats {
  readonly numbers: number;
  readonly accounts: number;
  readonly subdomains: number;
  readonly numbersEvicted: number;
  readonly reads: number;
  readonly readFailures: number;
  readonly resets: number;
}

export class RoutingView {
  private readonly options: ViewOptions;
  private readonly now: () => number;
  /** null = known not to exist (negative entry). */
  private readonly numbers: LruCache<string, NumberFacts | null>;
  private readonly accounts: LruCache<string, AccountFacts | null>;
  /** label → account holding its claim, null = no claim. */
  private readonly subdomains: LruCache<string, string | null>;
  private readonly numberFills = new Map<string, Fill<NumberFacts>>();
  private readonly accountFills = new Map<string, Fill<AccountFacts>>();
  private readonly subdomainFills = new Map<string, Fill<string>>();

  // decide is synchronous: one probe serves every call, so a warm call allocates no facts object.
  private readonly misses: Miss[] = [];
  private loads: Loads | undefined;
  private readonly probe: RoutingFacts = {
    number: (n) => this.numberFact(n),
    account: (name) => this.accountFact(name),
    accountBySubdomain: (label) => this.subdomainFact(label),
  };

  /** When a read last failed, while no read has succeeded since. */
  private readsFailingSince: number | undefined;
  private reads = 0;
  private readFailures = 0;
  private resets = 0;

  constructor(options: ViewOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.numbers = new LruCache(options.maxNumbers);
    this.accounts = new LruCache(options.maxAccounts);
    this.subdomains = new LruCache(options.maxAccounts);
  }

  /** The answer from memory alone, or undefined when a fact is not in memory. No I/O. */
  answerFromMemory(question: RouteQuestion): RouteAnswer | undefined {
    this.misses.length = 0;
    const answer = decide(question, this.probe, this.options.routing);
    return this.misses.length === 0 ? answer : undefined;
  }

  /** Loads what is missing (coalesced with concurrent callers), then decides. Never rejects. */
  async answer(question: RouteQuestion): Promise<RouteAnswer> {
    const loads: Loads = { numbers: new Map(), accounts: new Map(), subdomains: new Map() };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const { answer, misses } = this.decideWith(question, loads);
      if (misses.length === 0) return answer;
      // Storage is known to be down: fail over now rather than after a read's deadline.
      if (this.storageUnavailable()) return PROVISIONING_DATA_UNAVAILABLE;
      const results = await Promise.all(misses.map((miss) => this.load(miss, loads)));
      if (results.includes(false)) return PROVISIONING_DATA_UNAVAILABLE;
    }
    return PROVISIONING_DATA_UNAVAILABLE;
  }

  /** Drops what the feed says changed. */
  apply(entries: readonly FeedEntry[]): void {
    for (const entry of entries) {
      if (entry.kind === 'numbers') for (const n of entry.numbers) this.dropNumber(n);
      else this.dropAccount(entry.accountName);
    }
  }

  /** Forgets everything (the feed cannot tell what changed). */
  reset(): void {
    this.resets++;
    this.numbers.clear();
    this.accounts.clear();
    this.subdomains.clear();
    for (const fills of [this.numberFills, this.accountFills, this.subdomainFills] as Map<string, Fill<unknown>>[]) {
      for (const fill of fills.values()) fill.stale = true;
      fills.clear();
    }
  }

  /**
   * Storage is treated as down when the feed poll fails, or the last read failed and no feed poll
   * has succeeded since; a successful read or poll ends it.
   */
  storageUnavailable(): boolean {
    const feed = this.options.feed?.();
    if (feed !== undefined && !feed.healthy) return true;
    return this.readsFailingSince !== undefined && this.readsFailingSince >= (feed?.freshAt ?? -Infinity);
  }

  stats(): ViewStats {
    return {
      numbers: this.numbers.size,
      accounts: this.accounts.size,
      subdomains: this.subdomains.size,
      numbersEvicted: this.numbers.evicted,
      reads: this.reads,
      readFailures: this.readFailures,
      resets: this.resets,
    };
  }

  private decideWith(question: RouteQuestion, loads: Loads): { answer: RouteAnswer; misses: Miss[] } {
    this.misses.length = 0;
    this.loads = loads;
    try {
      const answer = decide(question, this.probe, this.options.routing);
      return { answer, misses: [...this.misses] };
    } finally {
      this.loads = undefined;
    }
  }

  // ---- facts from memory (misses recorded) -------------------------------------------------

  private numberFact(telephoneNumber: string): NumberFacts | undefined {
    let cached = this.numbers.get(telephoneNumber);
    if (cached === undefined && this.loads !== undefined) cached = this.loads.numbers.get(telephoneNumber);
    if (cached !== undefined) return cached ?? undefined;
    this.misses.push({ kind: 'number', key: telephoneNumber });
    return undefined;
  }

  private accountFact(accountName: string): AccountFacts | undefined {
    let cached = this.accounts.get(accountName);
    if (cached === undefined && this.loads !== undefined) cached = this.loads.accounts.get(accountName);
    if (cached !== undefined) return cached ?? undefined;
    this.misses.push({ kind: 'account', key: accountName });
    return undefined;
  }

  /** The claim's account, if it really uses the label (claims of crashed writes are ignored). */
  private subdomainFact(label: string): AccountFacts | undefined {
    let claim = this.subdomains.get(label);
    if (claim === undefined && this.loads !== undefined) claim = this.loads.subdomains.get(label);
    if (claim === undefined) {
      this.misses.push({ kind: 'subdomain', key: label });
      return undefined;
    }
    if (claim === null) return undefined;
    const account = this.accountFact(claim);
    return account?.directRouting?.subdomain === label ? account : undefined;
  }

  // ---- loading (coalesced) ---------------------------------------------------------------

  /** Loads one fact into the cache and into this request's loads; false when storage failed. */
  private async load(miss: Miss, loads: Loads): Promise<boolean> {
    switch (miss.kind) {
      case 'number': {
        const value = await this.fill(this.numberFills, this.numbers, miss.key, () => this.options.reader.readNumber(miss.key));
        if (value === FAILED) return false;
        loads.numbers.set(miss.key, value);
        return true;
      }
      case 'account': {
        const value = await this.fill(this.accountFills, this.accounts, miss.key, () => this.options.reader.readAccount(miss.key));
        if (value === FAILED) return false;
        loads.accounts.set(miss.key, value);
        return true;
      }
      case 'subdomain': {
        const value = await this.fill(this.subdomainFills, this.subdomains, miss.key, () => this.options.reader.readSubdomainClaim(miss.key));
        if (value === FAILED) return false;
        loads.subdomains.set(miss.key, value);
        return true;
      }
    }
  }

  private fill<T>(fills: Map<string, Fill<T>>, cache: LruCache<string, T | null>, key: string, read: () => Promise<T | undefined>): Promise<Loaded<T>> {
    const running = fills.get(key);
    if (running !== undefined) return running.promise;
    this.reads++;
    const fill: Fill<T> = {
      stale: false,
      promise: withDeadline(read(), this.options.storageTimeoutMs, 'lookup read').then(
        (value): Loaded<T> => {
          this.readsFailingSince = undefined;
          const known = value ?? null;
          if (!fill.stale) cache.set(key, known);
          return known;
        },
        (err: unknown): Loaded<T> => {
          this.readFailures++;
          if (this.readsFailingSince === undefined) {
            // Once per run of failures, not per miss.
            logEvent('warn', 'lookup.read.failed', { key, error: errorText(err) });
          }
          this.readsFailingSince = this.now();
          return FAILED;
        },
      ),
    };
    fills.set(key, fill);
    void fill.promise.then(() => {
      if (fills.get(key) === fill) fills.delete(key);
    });
    return fill.promise;
  }

  // ---- invalidation ----------------------------------------------------------------------

  private dropNumber(telephoneNumber: string): void {
    this.numbers.delete(telephoneNumber);
    dropFill(this.numberFills, telephoneNumber);
  }

  /** An account change can move its subdomain label: every label mapping goes, negative ones too. */
  private dropAccount(accountName: string): void {
    this.accounts.delete(accountName);
    dropFill(this.accountFills, accountName);
    this.subdomains.clear();
    for (const fill of this.subdomainFills.values()) fill.stale = true;
    this.subdomainFills.clear();
  }
}

function dropFill(fills: Map<string, Fill<unknown>>, key: string): void {
  const fill = fills.get(key);
  if (fill === undefined) return;
  fill.stale = true;
  fills.delete(key);
}
