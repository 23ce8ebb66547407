// KVTable body: {"table":{"k":"v"}} with keys sorted as fastjson writes them.

export const ORDER_TOPIC_CONFIG_NAMESPACE = 'ORDER_TOPIC_CONFIG';

export function kvTableToJson(entries: Map<string, string>): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify({ table: Object.fromEntries(sorted) });
}
