// Parsers for what RocketMQ's mqadmin (rocketmq-tools 5.3.3, MQAdminStartup) prints, so tests can
// check facts instead of grepping. Formats as printed by the 5.3.3 sub-commands:
//   clusterList       "#Cluster Name  #Broker Name  #BID  #Addr  #Version ..." then one row per broker
//   topicList         one topic per line
//   topicRoute        TopicRouteData as fastjson (pretty, numeric map keys unquoted)
//   topicStatus       "#Broker Name  #QID  #Min Offset  #Max Offset  #Last Updated", "Topic Put TPS: .."
//   consumerProgress  "#Topic  #Broker Name  #QID  #Broker Offset  #Consumer Offset  #Diff  #Inflight  #LastTime"
//                     then "Consume TPS: ..", "Consume Diff Total: N"
//   queryMsgById      "Key:   value" lines (OffsetID, Topic, Tags, Keys, Queue ID, ...)
//   queryMsgByKey     "#Message ID  #QID  #Offset" then one row per message
// Columns are separated by runs of spaces; values of the leading columns never contain spaces.

/** Data rows of a "#Header ..." table: every non-empty line after the header, split on whitespace. */
export function tableRows(stdout: string): string[][] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.trimStart().startsWith('#'));
  if (header < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(header + 1)) {
    const t = line.trim();
    if (t === '') break;
    rows.push(t.split(/\s+/));
  }
  return rows;
}

export interface ClusterListRow {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  version: string;
}

export function parseClusterList(stdout: string): ClusterListRow[] {
  return tableRows(stdout).map(([clusterName = '', brokerName = '', bid = '', addr = '', version = '']) => ({
    clusterName, brokerName, brokerId: Number(bid), addr, version,
  }));
}

export function parseTopicList(stdout: string): string[] {
  return stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
}

/** fastjson prints map keys that are numbers unquoted ({0:"addr"}); quote them, then JSON.parse. */
export function parseLenientJson(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error(`no JSON object in: ${text.slice(0, 300)}`);
  return JSON.parse(text.slice(start, end + 1).replace(/([{,]\s*)(-?\d+)\s*:/g, '$1"$2":'));
}

export interface TopicRoute {
  brokerDatas: Array<{ brokerName: string; cluster: string; brokerAddrs: Record<string, string> }>;
  queueDatas: Array<{ brokerName: string; perm: number; readQueueNums: number; writeQueueNums: number; topicSysFlag: number }>;
}

export function parseTopicRoute(stdout: string): TopicRoute {
  return parseLenientJson(stdout) as TopicRoute;
}

export interface TopicStatusRow {
  brokerName: string;
  queueId: number;
  minOffset: number;
  maxOffset: number;
}

export function parseTopicStatus(stdout: string): TopicStatusRow[] {
  return tableRows(stdout).map(([brokerName = '', qid = '', min = '', max = '']) => ({
    brokerName, queueId: Number(qid), minOffset: Number(min), maxOffset: Number(max),
  }));
}

export interface ConsumerProgressRow {
  topic: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  diff: number;
}

export function parseConsumerProgress(stdout: string): { rows: ConsumerProgressRow[]; diffTotal: number | undefined } {
  const rows = tableRows(stdout).map(([topic = '', brokerName = '', qid = '', brokerOffset = '', consumerOffset = '', diff = '']) => ({
    topic, brokerName, queueId: Number(qid), brokerOffset: Number(brokerOffset), consumerOffset: Number(consumerOffset), diff: Number(diff),
  }));
  const total = /Consume Diff Total:\s*(-?\d+)/.exec(stdout);
  return { rows, diffTotal: total === null ? undefined : Number(total[1]) };
}

/** "Key:   value" lines of queryMsgById; Properties is parsed from its {k=v, k=v} form. */
export function parseMessageView(stdout: string): { fields: Record<string, string>; properties: Record<string, string> } {
  const fields: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const m = /^([A-Za-z][A-Za-z ]*?):\s+(.*)$/.exec(line.trim());
    if (m !== null && m[1] !== undefined && m[2] !== undefined && !(m[1] in fields)) fields[m[1]] = m[2].trim();
  }
  const properties: Record<string, string> = {};
  const props = fields['Properties'];
  if (props !== undefined) {
    for (const pair of props.replace(/^\{|\}$/g, '').split(', ')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return { fields, properties };
}

export interface QueryByKeyRow {
  msgId: string;
  queueId: number;
  queueOffset: number;
}

export function parseQueryMsgByKey(stdout: string): QueryByKeyRow[] {
  return tableRows(stdout).map(([msgId = '', qid = '', offset = '']) => ({ msgId, queueId: Number(qid), queueOffset: Number(offset) }));
}
