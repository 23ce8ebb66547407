// The order in which a java.util.HashMap<String, String> built by inserting `keys` in order
// iterates them. RocketMQ's Java side keeps ext fields in such a map and fastjson writes a map in
// its iteration order, so writing JSON ext fields in this order makes Apogee's JSON headers byte
// for byte equal to Java's for the same header (checked against captured frames).
//
// HashMap facts used (OpenJDK 8+): the table starts at 16 buckets (or the capacity asked for) and doubles whenever the size
// exceeds 0.75 x buckets; a key's bucket is (h ^ (h >>> 16)) & (buckets - 1) with h =
// String.hashCode(); iteration walks buckets in index order and each bucket in insertion order
// (resizing splits buckets without reordering). Not modelled: a bucket of 8+ colliding keys
// (treeified, or forcing an early resize); header names never collide that much.

/** Buckets of `new HashMap<>()`, which RemotingCommand.makeCustomHeaderToNet creates. */
export const JAVA_HASH_MAP_BUCKETS_DEFAULT = 16;
/**
 * Buckets of `new HashMap<>(256)`, which RemotingCommand.addExtField creates when it adds the first
 * field (a 5.x send response, for one): such maps iterate in a different order.
 */
export const JAVA_HASH_MAP_BUCKETS_ADD_EXT_FIELD = 256;
const LOAD_FACTOR = 0.75;

/** Java's String.hashCode over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Buckets of a HashMap that started with `initialBuckets` (a power of two) and received `size` entries. */
export function javaHashMapBuckets(size: number, initialBuckets = JAVA_HASH_MAP_BUCKETS_DEFAULT): number {
  let buckets = initialBuckets;
  while (size > buckets * LOAD_FACTOR) buckets *= 2;
  return buckets;
}

/** `keys` (distinct, in insertion order) in the order a Java HashMap iterates them. */
export function javaHashMapOrder(keys: readonly string[], initialBuckets = JAVA_HASH_MAP_BUCKETS_DEFAULT): string[] {
  const n = keys.length;
  const order = keys.slice();
  if (n <= 1) return order;
  const mask = javaHashMapBuckets(n, initialBuckets) - 1;
  const buckets = order.map((key) => spreadHashOf(key) & mask);
  if (n > INSERTION_SORT_KEYS_MAX) {
    const indexes = order.map((_, i) => i);
    indexes.sort((x, y) => (buckets[x] as number) - (buckets[y] as number)); // stable
    return indexes.map((i) => order[i] as string);
  }
  // Stable insertion sort by bucket: headers have a dozen keys.
  for (let i = 1; i < n; i++) {
    const key = order[i] as string;
    const bucket = buckets[i] as number;
    let j = i - 1;
    while (j >= 0 && (buckets[j] as number) > bucket) {
      order[j + 1] = order[j] as string;
      buckets[j + 1] = buckets[j] as number;
      j--;
    }
    order[j + 1] = key;
    buckets[j + 1] = bucket;
  }
  return order;
}

const INSERTION_SORT_KEYS_MAX = 32;

/**
 * h ^ (h >>> 16) of String.hashCode, remembered per key: header names repeat on every command.
 * A pure memo bounded by SPREAD_HASH_MEMO_ENTRIES_MAX (cleared when full).
 */
const spreadHashMemo = new Map<string, number>();
const SPREAD_HASH_MEMO_ENTRIES_MAX = 1024;
const MEMO_KEY_CHARS_MAX = 64;

function spreadHashOf(key: string): number {
  const known = spreadHashMemo.get(key);
  if (known !== undefined) return known;
  const h = javaStringHash(key);
  const spread = h ^ (h >>> 16);
  if (key.length <= MEMO_KEY_CHARS_MAX) {
    if (spreadHashMemo.size >= SPREAD_HASH_MEMO_ENTRIES_MAX) spreadHashMemo.clear();
    spreadHashMemo.set(key, spread);
  }
  return spread;
}
