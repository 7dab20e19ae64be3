/**
 * Decrypted segments, least recently used first out: a seek near where the player already was
 * decodes from memory, and the next segment is fetched while the current one plays.
 */
import type { SegmentContent } from '@wardlink/recordings';

/** Options of {@link SegmentCache}. */
export interface SegmentCacheOptions {
  /** Segments kept (decrypted). */
  capacity: number;
  /** Fetches and decrypts segment `index`. */
  load(index: number): Promise<SegmentContent>;
}

/** An LRU of decrypted segments; concurrent requests for one segment share one load. */
export class SegmentCache {
  private readonly entries = new Map<number, Promise<SegmentContent>>();
  private readonly options: SegmentCacheOptions;

  constructor(options: SegmentCacheOptions) {
    this.options = options;
  }

  /** Segment `index`, from memory or loaded; a failed load is forgotten so it can be retried. */
  get(index: number): Promise<SegmentContent> {
    let entry = this.entries.get(index);
    if (entry) {
      this.entries.delete(index);
    } else {
      entry = this.options.load(index);
      entry.catch(() => {
        if (this.entries.get(index) === entry) this.entries.delete(index);
      });
    }
    this.entries.set(index, entry);
    this.evict();
    return entry;
  }

  /** Stores an already decrypted segment (as the loader does for the segments it verified). */
  put(index: number, content: SegmentContent): void {
    this.entries.delete(index);
    this.entries.set(index, Promise.resolve(content));
    this.evict();
  }

  /** Starts loading `index` if it is not cached; errors are left for a later {@link get}. */
  prefetch(index: number): void {
    if (!this.entries.has(index)) this.get(index).catch(() => undefined);
  }

  /** Whether `index` is held (loaded or loading). */
  has(index: number): boolean {
    return this.entries.has(index);
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    while (this.entries.size > this.options.capacity) {
      const oldest = this.entries.keys().next().value as number;
      this.entries.delete(oldest);
    }
  }
}
