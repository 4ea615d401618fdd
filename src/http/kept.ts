/**
 * Finished answers kept in memory so that the same answer asked for again is sent at once instead
 * of built again: report PDFs (src/modules/reports) and the bodies of the heaviest pages
 * (`res.keptPage` in render.ts).
 *
 * What makes a kept copy still true is its key, which always ends with the data version and the
 * hour (src/db/data-version.ts): while those are the same, nothing the answer shows has changed.
 *
 * Bounded by size (least recently used copies go first); a copy larger than `maxEntrySize` is not
 * kept. While a copy is being built, others asking for the same key can wait for it instead of
 * building it a second time.
 */
export class KeptCache<V> {
  private readonly entries = new Map<string, V>();
  private readonly building = new Map<string, Promise<V | null>>();
  private total = 0;

  constructor(
    /** Budget in the unit of `sizeOf` (bytes); 0 keeps nothing. */
    readonly maxSize: number,
    readonly sizeOf: (v: V) => number,
    readonly maxEntrySize = Math.floor(maxSize / 10),
  ) {}

  get enabled(): boolean {
    return this.maxSize > 0;
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // most recently used last
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: V): void {
    const size = this.sizeOf(value);
    if (!this.enabled || size > this.maxEntrySize) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.total -= this.sizeOf(old);
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.total += size;
    for (const [k, v] of this.entries) {
      if (this.total <= this.maxSize) break;
      this.entries.delete(k);
      this.total -= this.sizeOf(v);
    }
  }

  /** The build of `key` in progress, if any: it settles with the value, or null when none was kept. */
  inProgress(key: string): Promise<V | null> | undefined {
    return this.building.get(key);
  }

  /** Marks `key` as being built; call the returned function with the value (or null) when done. */
  begin(key: string): (value: V | null) => void {
    let settle!: (value: V | null) => void;
    this.building.set(
      key,
      new Promise((resolve) => {
        settle = resolve;
      }),
    );
    return (value) => {
      this.building.delete(key);
      if (value !== null) this.set(key, value);
      settle(value);
    };
  }

  get size(): { entries: number; size: number } {
    return { entries: this.entries.size, size: this.total };
  }
}
