/**
 * The median of numbers in place, by selection (Hoare's quickselect) rather than a sort:
 * linear on average, where sorting each horizon's returns dominated the hit-rate statistics.
 * Reorders `values`; the result is exactly the sorted array's middle element (or the mean of
 * the two middle ones), so it equals what sorting would give.
 */
export function selectMedian(values: Float64Array): number {
  const length = values.length;
  const middle = length >> 1;
  selectInPlace(values, middle);
  if (length % 2 === 1) return values[middle]!;
  // Everything before `middle` is now ≤ it: the largest of them is the lower middle element.
  let lower = values[0]!;
  for (let k = 1; k < middle; k += 1) if (values[k]! > lower) lower = values[k]!;
  return (lower + values[middle]!) / 2;
}

/** Moves the k-th smallest value to index k, smaller-or-equal ones before it, larger-or-equal after. */
function selectInPlace(values: Float64Array, k: number): void {
  let left = 0;
  let right = values.length - 1;
  while (right > left) {
    // Median of three as the pivot, so sorted and reversed input stay linear.
    const mid = (left + right) >> 1;
    const a = values[left]!;
    const b = values[mid]!;
    const c = values[right]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i += 1;
      while (values[j]! > pivot) j -= 1;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i += 1;
        j -= 1;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}
