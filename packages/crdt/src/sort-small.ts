/** Arrays at most this long are sorted by insertion, in place. */
const SMALL = 24;

/**
 * Sort `items` in place, as `items.sort(compare)` does (stable, the same order for a consistent
 * comparator), by insertion when there are few: `Array.prototype.sort` allocates a copy for every
 * call, and wire forms sort a handful of entries for every message.
 * @returns `items`
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  const n = items.length;
  if (n > SMALL) return items.sort(compare);
  for (let i = 1; i < n; i++) {
    const item = items[i] as T;
    let j = i - 1;
    while (j >= 0 && compare(items[j] as T, item) > 0) {
      items[j + 1] = items[j] as T;
      j--;
    }
    items[j + 1] = item;
  }
  return items;
}

/** Orders strings as `Array.prototype.sort` without a comparator does (UTF-16 code units). */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
