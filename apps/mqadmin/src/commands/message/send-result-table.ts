// A send result as sendMessage (and queryMsgById -s true) prints it: #Broker Name #QID #Send Result #MsgId.

import type { SendResult } from '@apogee/client';
import type { Table } from '../../output/table.js';

export interface SendResultRow {
  brokerName: string;
  queueId: number;
  /** SEND_OK, FLUSH_DISK_TIMEOUT, FLUSH_SLAVE_TIMEOUT, SLAVE_NOT_AVAILABLE */
  sendStatus: string;
  /** the producer's unique key (what consumers see as msgId) */
  msgId: string;
  /** the broker's offset message id */
  offsetMsgId: string;
  queueOffset: number;
}

export function sendResultRow(result: SendResult): SendResultRow {
  return {
    brokerName: result.messageQueue.brokerName,
    queueId: result.messageQueue.queueId,
    sendStatus: result.sendStatus,
    msgId: result.msgId,
    offsetMsgId: result.offsetMsgId,
    queueOffset: result.queueOffset,
  };
}

export function sendResultTable(rows: readonly SendResultRow[]): Table {
  return {
    columns: [
      { header: '#Broker Name', overflow: 'wrap', widthMin: 12 },
      { header: '#QID', align: 'right', widthMin: 4 },
      { header: '#Send Result', widthMin: 12 },
      { header: '#MsgId', widthMin: 32 },
    ],
    rows: rows.map((r) => [r.brokerName, r.queueId, r.sendStatus, r.msgId]),
  };
}
