/**
 * A bounded least-recently-used map. The recency list is kept in typed arrays indexed by slot (as
 * the `lru-cache` package does) rather than by re-inserting into a Map: a hit then moves two
 * integers and allocates nothing, which matters on the lookup's per-call path at 10^6 entries.
 */
const NONE = -1;
const INITIAL_SLOTS = 1024;

export class LruCache<K, V> {
  readonly capacity: number;
  private readonly slots = new Map<K, number>();
  private keys: (K | undefined)[] = [];
  private values: (V | undefined)[] = [];
  private newer: Int32Array;
  private older: Int32Array;
  /** Most recently used slot. */
  private head = NONE;
  /** Least recently used slot: the next to be evicted. */
  private tail = NONE;
  private readonly freeSlots: number[] = [];
  private evictions = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`LRU capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    const initial = Math.min(capacity, INITIAL_SLOTS);
    this.newer = new Int32Array(initial);
    this.older = new Int32Array(initial);
  }

  get size(): number {
    return this.slots.size;
  }

  /** Entries dropped to stay within the capacity since creation (not deletes). */
  get evicted(): number {
    return this.evictions;
  }

  has(key: K): boolean {
    return this.slots.has(key);
  }

  /** The value, marking the entry most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.touch(slot);
    return this.values[slot];
  }

  /** The value without changing recency. */
  peek(key: K): V | undefined {
    const slot = this.slots.get(key);
    return slot === undefined ? undefined : this.values[slot];
  }

  set(key: K, value: V): void {
    const existing = this.slots.get(key);
    if (existing !== undefined) {
      this.values[existing] = value;
      this.touch(existing);
      return;
    }
    let slot: number;
    if (this.slots.size >= this.capacity) {
      slot = this.tail;
      this.unlink(slot);
      this.slots.delete(this.keys[slot] as K);
      this.evictions++;
    } else {
      slot = this.freeSlots.pop() ?? this.newSlot();
    }
    this.keys[slot] = key;
    this.values[slot] = value;
    this.slots.set(key, slot);
    this.linkAtHead(slot);
  }

  delete(key: K): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.unlink(slot);
    this.slots.delete(key);
    this.keys[slot] = undefined;
    this.values[slot] = undefined;
    this.freeSlots.push(slot);
    return true;
  }

  clear(): void {
    this.slots.clear();
    this.keys = [];
    this.values = [];
    this.freeSlots.length = 0;
    this.head = NONE;
    this.tail = NONE;
    const initial = Math.min(this.capacity, INITIAL_SLOTS);
    this.newer = new Int32Array(initial);
    this.older = new Int32Array(initial);
  }

  /** Keys from most to least recently used (tests and diagnostics; O(n)). */
  keysByRecency(): K[] {
    const out: K[] = [];
    for (let slot = this.head; slot !== NONE; slot = this.older[slot] as number) out.push(this.keys[slot] as K);
    return out;
  }

  private newSlot(): number {
    const slot = this.keys.length;
    if (slot >= this.newer.length) {
      const grown = Math.min(this.capacity, this.newer.length * 2);
      const newer = new Int32Array(grown);
      const older = new Int32Array(grown);
      newer.set(this.newer);
      older.set(this.older);
      this.newer = newer;
      this.older = older;
    }
    this.keys.push(undefined);
    this.values.push(undefined);
    return slot;
  }

  private touch(slot: number): void {
    if (slot === this.head) return;
    this.unlink(slot);
    this.linkAtHead(slot);
  }

  private linkAtHead(slot: number): void {
    this.newer[slot] = NONE;
    this.older[slot] = this.head;
    if (this.head !== NONE) this.newer[this.head] = slot;
    this.head = slot;
    if (this.tail === NONE) this.tail = slot;
  }

  private unlink(slot: number): void {
    const newer = this.newer[slot] as number;
    const older = this.older[slot] as number;
    if (newer !== NONE) this.older[newer] = older;
    else this.head = older;
    if (older !== NONE) this.newer[older] = newer;
    else this.tail = newer;
  }
}
