/**
 * A `Map` that keeps at most `limit` entries, dropping the least recently used: a cache that a
 * long-running preview can fill without growing for ever.
 */
export class LruMap<K, V> extends Map<K, V> {
  readonly #limit: number

  constructor(limit: number) {
    super()
    this.#limit = limit
  }

  override get(key: K): V | undefined {
    if (!super.has(key)) return undefined
    const value = super.get(key) as V
    // Re-inserted, so that the map's order is the order of use.
    super.delete(key)
    super.set(key, value)
    return value
  }

  override set(key: K, value: V): this {
    super.delete(key)
    super.set(key, value)
    if (this.size > this.#limit) super.delete(super.keys().next().value as K)
    return this
  }
}
