/**
 * The per-process lookup: a view that fell behind the feed is brought up to date before it answers
 * (unless storage is down: then it answers flagged), and health reports what the headers say.
 */
import { loadLookupSettings } from '../../shared/lookup/config';
import type { ChangeFeedReader, FeedEntry } from '../../shared/lookup/feedFollower';
import { LookupService, STALENESS_BOUND_MS } from '../../shared/lookup/lookupService';
import type { FactsReader } from '../../shared/lookup/view';

const settings = loadLookupSettings({}, 'gw.example.net');

function setUp() {
  const clock = { now: Date.UTC(2026, 10, 26, 12, 0, 10) };
  const feedEntries: FeedEntry[] = [];
  const feed = { reads: 0, down: false };
  const reader: ChangeFeedReader = {
    bucketOf: (ms) => String(Math.floor(ms / 60_000)),
    async readSince(bucket, sinceMs) {
      feed.reads++;
      if (feed.down) throw new Error('connect ECONNREFUSED');
      return feedEntries.filter((e) => String(Math.floor(e.atMs / 60_000)) === bucket && e.atMs >= sinceMs);
    },
  };
  const headers = new Map([['+14255550001', 'old']]);
  const facts: FactsReader = {
    async readNumber(n) {
      const header = headers.get(n);
      return header === undefined
        ? undefined
        : { telephoneNumber: n, accountName: 'acme', teamsOperatorConnect: false, teamsDirectRouting: false, teamsPhoneMobile: false, zoomPhoneCloudPeering: true, azureOperatorCallProtection: false, customSipHeader: header };
    },
    async readAccount(name) {
      return { name };
    },
    async readSubdomainClaim() {
      return undefined;
    },
  };
  const service = new LookupService(settings, facts, reader, () => clock.now);
  return { service, clock, feed, feedEntries, headers };
}

const question = { direction: 'fromOperator', from: '+33123456789', to: '+14255550001' } as const;

describe('LookupService', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('answers at once while the view is fresh, and catches up first when it fell behind', async () => {
    const { service, clock, feed, feedEntries, headers } = setUp();
    expect(service.freshness()).toBeUndefined();
    await service.follower.catchUp();
    expect((await service.answer(question)).customHeader?.value).toBe('old');

    // The timer did not run for 5 s (stalled loop, paused instance); a write happened meanwhile.
    clock.now += 5_000;
    headers.set('+14255550001', 'new');
    feedEntries.push({ kind: 'numbers', accountName: 'acme', numbers: ['+14255550001'], atMs: clock.now - 1_000, position: `${clock.now - 1_000}-a` });
    expect(service.health()).toEqual({ degraded: true, stalenessMs: 5_000 });
    const readsBefore = feed.reads;
    const catchingUp = service.freshness();
    expect(catchingUp).toBeDefined();
    expect(service.freshness()).toBe(catchingUp); // one poll shared by every waiting request
    await catchingUp;
    expect(feed.reads).toBeGreaterThan(readsBefore);
    expect(service.health()).toEqual({ degraded: false, stalenessMs: 0 });
    expect(service.answerFromMemory(question)).toBeUndefined(); // dropped by the entry
    expect((await service.answer(question)).customHeader?.value).toBe('new');
    service.stop();
  });

  it('does not wait on a feed that is down: answers go out flagged with their staleness', async () => {
    const { service, clock, feed } = setUp();
    await service.follower.catchUp();
    await service.answer(question);
    feed.down = true;
    clock.now += 300;
    await service.follower.catchUp();
    clock.now += STALENESS_BOUND_MS;
    expect(service.freshness()).toBeUndefined();
    expect(service.answerFromMemory(question)?.accountName).toBe('acme');
    expect(service.health()).toEqual({ degraded: true, stalenessMs: STALENESS_BOUND_MS + 300 });
    service.stop();
  });
});
