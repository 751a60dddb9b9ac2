/** The view's bounded LRU: recency, eviction at the cap, slot reuse. */
import { LruCache } from '../../shared/lookup/lru';

describe('LruCache', () => {
  it('evicts the least recently used entry once the cap is reached', () => {
    const lru = new LruCache<string, number>(3);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.set('c', 3);
    lru.set('d', 4);
    expect(lru.size).toBe(3);
    expect(lru.has('a')).toBe(false);
    expect(lru.keysByRecency()).toEqual(['d', 'c', 'b']);
    expect(lru.evicted).toBe(1);
  });

  it('a hit makes an entry the most recent, so another one is evicted', () => {
    const lru = new LruCache<string, number>(3);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) lru.set(k, v);
    expect(lru.get('a')).toBe(1);
    lru.set('d', 4);
    expect(lru.has('a')).toBe(true);
    expect(lru.has('b')).toBe(false);
    expect(lru.keysByRecency()).toEqual(['d', 'a', 'c']);
  });

  it('peek does not change recency; set of an existing key updates it in place', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.peek('a')).toBe(1);
    lru.set('c', 3);
    expect(lru.has('a')).toBe(false);
    lru.set('b', 20);
    expect(lru.size).toBe(2);
    expect(lru.get('b')).toBe(20);
    expect(lru.keysByRecency()).toEqual(['b', 'c']);
  });

  it('keeps null values (negative entries) apart from absent ones', () => {
    const lru = new LruCache<string, number | null>(2);
    lru.set('unknown', null);
    expect(lru.get('unknown')).toBeNull();
    expect(lru.get('absent')).toBeUndefined();
  });

  it('reuses the slots of deleted entries and stays within the cap', () => {
    const lru = new LruCache<number, number>(4);
    for (let i = 0; i < 4; i++) lru.set(i, i);
    expect(lru.delete(1)).toBe(true);
    expect(lru.delete(1)).toBe(false);
    lru.set(10, 10);
    expect(lru.size).toBe(4);
    expect(lru.evicted).toBe(0);
    expect(lru.keysByRecency()).toEqual([10, 3, 2, 0]);
    lru.set(11, 11);
    expect(lru.keysByRecency()).toEqual([11, 10, 3, 2]);
  });

  it('handles the head, the tail and a single slot', () => {
    const one = new LruCache<string, number>(1);
    one.set('a', 1);
    one.set('b', 2);
    expect(one.keysByRecency()).toEqual(['b']);
    expect(one.delete('b')).toBe(true);
    expect(one.keysByRecency()).toEqual([]);
    one.set('c', 3);
    expect(one.get('c')).toBe(3);

    const lru = new LruCache<string, number>(3);
    for (const k of ['a', 'b', 'c']) lru.set(k, 0);
    lru.delete('c'); // the head
    lru.delete('a'); // the tail
    expect(lru.keysByRecency()).toEqual(['b']);
    lru.set('d', 0);
    lru.set('e', 0);
    lru.set('f', 0);
    expect(lru.keysByRecency()).toEqual(['f', 'e', 'd']);
  });

  it('grows past its initial slots up to the cap, evicting in order at scale', () => {
    const cap = 5000;
    const lru = new LruCache<number, number>(cap);
    for (let i = 0; i < cap; i++) lru.set(i, i);
    for (let i = 0; i < cap; i += 2) lru.get(i); // evens become recent
    for (let i = cap; i < cap + cap / 2; i++) lru.set(i, i);
    expect(lru.size).toBe(cap);
    for (let i = 1; i < cap; i += 2) expect(lru.has(i)).toBe(false); // the odd ones went first
    for (let i = 0; i < cap; i += 2) expect(lru.get(i)).toBe(i);
  });

  it('clear empties it and it works again afterwards', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.clear();
    expect(lru.size).toBe(0);
    expect(lru.get('a')).toBeUndefined();
    lru.set('b', 2);
    lru.set('c', 3);
    lru.set('d', 4);
    expect(lru.keysByRecency()).toEqual(['d', 'c']);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LruCache(0)).toThrow(RangeError);
    expect(() => new LruCache(1.5)).toThrow(RangeError);
  });
});
