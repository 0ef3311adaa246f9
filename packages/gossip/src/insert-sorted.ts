/**
 * Insert `position` into the ascending `list` (binary search; a memmove per new position): the
 * member positions whose entries ever changed, kept in order so that a windowed walk visits only them.
 */
export function insertSorted(list: number[], position: number): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as number) < position) lo = mid + 1;
    else hi = mid;
  }
  list.splice(lo, 0, position);
}
