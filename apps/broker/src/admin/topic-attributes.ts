// Topic attributes of UPDATE_AND_CREATE_TOPIC [5.x] (RocketMQ's AttributeParser, AttributeUtil
// and TopicAttributes). The header carries changes, "+key=value,+key2=value2,-key3":
//   creating a topic: only "+" entries; updating: "+" adds or replaces, "-" deletes (the key
//   must exist); unknown keys, bad values and changes to unchangeable keys are refused.
// Known attributes: queue.type (BatchCQ|SimpleCQ, fixed at creation), cleanup.policy
// (DELETE|COMPACTION, fixed), message.type (UNSPECIFIED|NORMAL|FIFO|DELAY|TRANSACTION|MIXED),
// reserve.time (a long >= -1). Apogee stores them and answers them back; it does not act on them.

interface AttributeRule {
  readonly isChangeable: boolean;
  isValid(value: string): boolean;
}

const oneOf = (...values: string[]): ((value: string) => boolean) => (value) => values.includes(value);

const TOPIC_ATTRIBUTES: ReadonlyMap<string, AttributeRule> = new Map([
  ['queue.type', { isChangeable: false, isValid: oneOf('BatchCQ', 'SimpleCQ') }],
  ['cleanup.policy', { isChangeable: false, isValid: oneOf('DELETE', 'COMPACTION') }],
  ['message.type', { isChangeable: true, isValid: oneOf('UNSPECIFIED', 'NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'MIXED') }],
  ['reserve.time', { isChangeable: true, isValid: (value) => /^-?\d{1,19}$/.test(value) && Number(value) >= -1 }],
]);

export type AttributesResult = { ok: true; attributes: Record<string, string> } | { ok: false; reason: string };

/**
 * The topic's attributes after applying `modification` to `current` (undefined when the topic is
 * new). An absent or empty modification keeps the current attributes.
 */
export function alterTopicAttributes(current: Readonly<Record<string, string>> | undefined, modification: string | undefined): AttributesResult {
  const isCreate = current === undefined;
  const next: Record<string, string> = { ...(current ?? {}) };
  if (modification === undefined || modification === '') return { ok: true, attributes: next };
  const seen = new Set<string>();
  for (const entry of modification.split(',')) {
    const eq = entry.indexOf('=');
    const sign = entry.charAt(0);
    const key = (eq >= 0 ? entry.slice(0, eq) : entry).slice(1);
    const value = eq >= 0 ? entry.slice(eq + 1) : '';
    if ((sign !== '+' && sign !== '-') || (sign === '+') !== (eq >= 0) || key === '' || /[+-]/.test(key)) {
      return { ok: false, reason: `attribute change "${entry}" is not +key=value or -key` };
    }
    if (seen.has(key)) return { ok: false, reason: `attribute ${key} is changed twice` };
    seen.add(key);
    const rule = TOPIC_ATTRIBUTES.get(key);
    if (rule === undefined) return { ok: false, reason: `unsupported topic attribute: ${key}` };
    if (isCreate && sign === '-') return { ok: false, reason: `only add attribute is supported while creating topic. key: ${key}` };
    if (!isCreate && !rule.isChangeable) return { ok: false, reason: `attempt to update an unchangeable attribute. key: ${key}` };
    if (sign === '-') {
      if (!(key in next)) return { ok: false, reason: `attempt to delete a nonexistent key: ${key}` };
      delete next[key];
    } else {
      if (!rule.isValid(value)) return { ok: false, reason: `value ${JSON.stringify(value)} is not allowed for topic attribute ${key}` };
      next[key] = value;
    }
  }
  return { ok: true, attributes: next };
}
