// The properties string of a message: `name U+0001 value U+0002`, repeated, every pair ending
// with U+0002. It travels in the send header (`properties`) and inside every record.
//
// Decoding follows RocketMQ's string2messageProperties exactly, because broker and clients must
// agree on which pairs exist: split on U+0002; keep a segment only if it is at least 3 chars
// long and its first U+0001 leaves a non-empty name and a non-empty value; later pairs win.
// Encoding refuses what would not read back: a name containing either separator, or a value
// containing U+0002. (A value may contain U+0001: only the first U+0001 of a pair splits it.)
// Java would write them and corrupt the neighbouring pairs; Apogee says no instead.

import { InvalidArgumentError } from './errors.js';

export const NAME_VALUE_SEPARATOR = '\u0001';
export const PROPERTY_SEPARATOR = '\u0002';

/** Properties string of `props`, in map order. Throws InvalidArgumentError on separator chars. */
export function propertiesToString(props: ReadonlyMap<string, string>): string {
  let text = '';
  for (const [name, value] of props) {
    if (name.includes(NAME_VALUE_SEPARATOR) || name.includes(PROPERTY_SEPARATOR) || value.includes(PROPERTY_SEPARATOR)) {
      throw new InvalidArgumentError(
        'properties',
        `property ${JSON.stringify(name)} has a separator character (U+0001/U+0002 in the name, U+0002 in the value)`,
      );
    }
    text += name + NAME_VALUE_SEPARATOR + value + PROPERTY_SEPARATOR;
  }
  return text;
}

/** Total: any string gives a map (malformed segments are skipped, as RocketMQ does). */
export function stringToProperties(text: string): Map<string, string> {
  const props = new Map<string, string>();
  const length = text.length;
  let index = 0;
  while (index < length) {
    let end = text.indexOf(PROPERTY_SEPARATOR, index);
    if (end < 0) end = length;
    if (end - index >= 3) {
      const split = text.indexOf(NAME_VALUE_SEPARATOR, index);
      if (split > index && split < end - 1) {
        props.set(text.slice(index, split), text.slice(split + 1, end));
      }
    }
    index = end + 1;
  }
  return props;
}
