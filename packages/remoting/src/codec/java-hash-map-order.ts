// The order in which a java.util.HashMap<String, String> built by inserting `keys` in order
// iterates them. RocketMQ's Java side keeps ext fields in such a map and fastjson writes a map in
// its iteration order, so writing JSON ext fields in this order makes Apogee's JSON headers byte
// for byte equal to Java's for the same header (checked against captured frames).
//
// HashMap facts used (OpenJDK 8+): the table starts at 16 buckets and doubles whenever the size
// exceeds 0.75 x buckets; a key's bucket is (h ^ (h >>> 16)) & (buckets - 1) with h =
// String.hashCode(); iteration walks buckets in index order and each bucket in insertion order
// (resizing splits buckets without reordering). Not modelled: a bucket of 8+ colliding keys
// (treeified, or forcing an early resize); header names never collide that much.

const INITIAL_BUCKETS = 16;
const LOAD_FACTOR = 0.75;

/** Java's String.hashCode over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Buckets of a HashMap that has received `size` entries from empty. */
export function javaHashMapBuckets(size: number): number {
  let buckets = INITIAL_BUCKETS;
  while (size > buckets * LOAD_FACTOR) buckets *= 2;
  return buckets;
}

/** `keys` (distinct, in insertion order) in the order a Java HashMap iterates them. */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const mask = javaHashMapBuckets(keys.length) - 1;
  const slots = keys.map((key, index) => {
    const h = javaStringHash(key);
    return { key, bucket: (h ^ (h >>> 16)) & mask, index };
  });
  // Array.prototype.sort is stable: equal buckets keep insertion order.
  slots.sort((x, y) => x.bucket - y.bucket);
  return slots.map((slot) => slot.key);
}
