/**
 * A log that keeps the newest `limit` entries (a ring buffer), so a long-running sandbox does not grow without
 * bound. `toArray()` returns them oldest first.
 */
export class BoundedLog<T> {
  private readonly items: T[] = []
  private start = 0

  constructor(private readonly limit: number) {}

  push(item: T): void {
    if (this.items.length < this.limit) {
      this.items.push(item)
      return
    }
    this.items[this.start] = item
    this.start = (this.start + 1) % this.limit
  }

  get length(): number {
    return this.items.length
  }

  toArray(): T[] {
    return this.start === 0 ? [...this.items] : [...this.items.slice(this.start), ...this.items.slice(0, this.start)]
  }
}
