/**
 * The change-feed follower over an in-memory feed and a fake clock: overlap re-reads without double
 * invalidation, minute boundaries, entries landing behind the position, outages and catch-up.
 */
import { minuteBucket } from '../../shared/store/changeFeed';
import { FeedFollower, type ChangeFeedReader, type FeedEntry } from '../../shared/lookup/feedFollower';

const T0 = Date.UTC(2026, 10, 26, 12, 0, 50); // 10 s before a minute boundary

class MemoryFeed implements ChangeFeedReader {
  readonly entries: FeedEntry[] = [];
  readonly reads: Array<{ bucket: string; sinceMs: number }> = [];
  failing = false;
  hang = false;
  private seq = 0;

  bucketOf(ms: number): string {
    return minuteBucket(new Date(ms));
  }

  write(atMs: number, numbers: string[], kind: FeedEntry['kind'] = 'numbers'): FeedEntry {
    const entry: FeedEntry = { kind, accountName: 'acc', numbers, atMs, position: `${String(atMs).padStart(15, '0')}-${String(this.seq++).padStart(4, '0')}` };
    this.entries.push(entry);
    return entry;
  }

  async readSince(bucket: string, sinceMs: number): Promise<FeedEntry[]> {
    this.reads.push({ bucket, sinceMs });
    if (this.hang) return new Promise(() => undefined);
    if (this.failing) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return this.entries.filter((e) => this.bucketOf(e.atMs) === bucket && e.position > String(sinceMs).padStart(15, '0'));
  }
}

function follower(feed: MemoryFeed, clock: { now: number }, options: { timeoutMs?: number; maxCatchUpMs?: number } = {}) {
  const applied: string[][] = [];
  const resets: string[] = [];
  const f = new FeedFollower({
    reader: feed,
    apply: (entries) => applied.push(entries.flatMap((e) => e.numbers)),
    reset: (reason) => resets.push(reason),
    pollMs: 250,
    timeoutMs: options.timeoutMs ?? 1000,
    overlapMs: 5_000,
    ...(options.maxCatchUpMs !== undefined ? { maxCatchUpMs: options.maxCatchUpMs } : {}),
    now: () => clock.now,
  });
  return { f, applied, resets };
}

const events = (warn: jest.SpyInstance) => warn.mock.calls.map(([line]) => (JSON.parse(String(line)) as { event: string }).event);

describe('FeedFollower', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('applies each entry once although every poll re-reads the overlap window', async () => {
    const feed = new MemoryFeed();
    const clock = { now: T0 };
    const { f, applied } = follower(feed, clock);
    feed.write(T0 - 100, ['+1']);
    await f.poll();
    clock.now += 250;
    await f.poll();
    clock.now += 250;
    feed.write(clock.now - 10, ['+2']);
    await f.poll();
    clock.now += 250;
    await f.poll();
    expect(applied).toEqual([['+1'], ['+2']]);
    expect(f.healthy).toBe(true);
  });

  it('sees an entry that lands behind entries already read (writer clock behind, slow insert)', async () => {
    const feed = new MemoryFeed();
    const clock = { now: T0 };
    const { f, applied } = follower(feed, clock);
    feed.write(T0 - 50, ['+1']);
    await f.poll();
    clock.now += 250;
    // Written now, but stamped 3 s ago by a writer whose clock lags: behind the last position.
    feed.write(clock.now - 3_000, ['+late']);
    await f.poll();
    expect(applied).toEqual([['+1'], ['+late']]);
  });

  it('reads the previous minute bucket across a boundary, and the next one for writers ahead', async () => {
    const feed = new MemoryFeed();
    const clock = { now: T0 + 10_500 }; // 0.5 s into the next minute
    const { f, applied } = follower(feed, clock);
    feed.write(T0 + 9_800, ['+before-boundary']);
    feed.write(clock.now + 2_000, ['+writer-ahead']);
    await f.poll();
    const buckets = new Set(feed.reads.map((r) => r.bucket));
    expect(buckets).toEqual(new Set([minuteBucket(new Date(T0)), minuteBucket(new Date(T0 + 10_500))]));
    expect(applied.flat().sort()).toEqual(['+before-boundary', '+writer-ahead']);

    // Well inside a minute, one bucket suffices.
    feed.reads.length = 0;
    clock.now = T0 + 40_000;
    await f.poll();
    clock.now += 250;
    feed.reads.length = 0;
    await f.poll();
    expect(new Set(feed.reads.map((r) => r.bucket)).size).toBe(1);
  });

  it('forgets applied positions once they fall out of the window', async () => {
    const feed = new MemoryFeed();
    const clock = { now: T0 };
    const { f, applied } = follower(feed, clock);
    feed.write(T0 - 10, ['+1']);
    await f.poll();
    for (let i = 0; i < 40; i++) {
      clock.now += 250;
      await f.poll();
    }
    expect(applied).toEqual([['+1']]);
    expect((f as unknown as { seen: Map<string, number> }).seen.size).toBe(0);
  });

  it('keeps its position through an outage and catches up on what was written meanwhile', async () => {
    const feed = new MemoryFeed();
    const clock = { now: T0 };
    const { f, applied, resets } = follower(feed, clock);
    await f.poll();
    const freshBefore = f.freshAt;
    feed.failing = true;
    for (let i = 0; i < 40; i++) {
      clock.now += 250;
      await f.poll();
    }
    expect(f.healthy).toBe(false);
    expect(f.health.consecutiveFailures).toBe(40);
    expect(f.freshAt).toBe(freshBefore);
    // 10 s of outage, longer than the 5 s overlap; these were written during it.
    feed.write(T0 + 1_000, ['+during-1']);
    feed.write(T0 + 9_000, ['+during-2']);
    feed.failing = false;
    clock.now += 250;
    await f.poll();
    expect(f.healthy).toBe(true);
    expect(applied.flat().sort()).toEqual(['+during-1', '+during-2']);
    expect(resets).toEqual([]);
    expect(f.freshAt).toBe(clock.now);
    // 40 failed polls, one log line each way.
    expect(events(warn)).toEqual(['lookup.feed.unavailable', 'lookup.feed.recovered']);
  });

  it('resets the view when the gap is longer than it can catch up on', async () => {
    const feed = new MemoryFeed();
    const clock = { now: T0 };
    const { f, applied, resets } = follower(feed, clock, { maxCatchUpMs: 60_000 });
    await f.poll();
    feed.failing = true;
    clock.now += 30_000;
    await f.poll();
    expect(resets).toEqual([]);
    feed.write(T0 + 45_000, ['+lost-in-gap']);
    clock.now += 40_000;
    feed.failing = false;
    await f.poll();
    expect(resets).toHaveLength(1);
    // After the reset only the last overlap window is read.
    expect(Math.min(...feed.reads.slice(-2).map((r) => r.sinceMs))).toBe(clock.now - 5_000);
    expect(applied).toEqual([]);
    expect(f.healthy).toBe(true);
  });

  it('counts a poll that exceeds its deadline as failed, caps abandoned polls, and forgets hung ones', async () => {
    const feed = new MemoryFeed();
    const clock = { now: T0 };
    const { f } = follower(feed, clock, { timeoutMs: 20 });
    feed.hang = true;
    await f.poll();
    expect(f.healthy).toBe(false);
    await f.poll();
    await f.poll();
    const readsAfterThree = feed.reads.length;
    await f.poll(); // three abandoned polls still running: this one does not start
    expect(feed.reads.length).toBe(readsAfterThree);
    expect(f.health.consecutiveFailures).toBe(4);

    // Reads that never settle stop holding places after ten deadlines: the follower cannot get stuck.
    feed.hang = false;
    clock.now += 10 * 20 + 1;
    await f.poll();
    expect(feed.reads.length).toBeGreaterThan(readsAfterThree);
    expect(f.healthy).toBe(true);
  });
});
