// Message lookup, printing, sending and consuming commands, and statsAll.
import type { CommandSpec } from '../../command.js';
import { consumeMessage } from './consume-message.js';
import { printMsg } from './print-msg.js';
import { queryMsgById } from './query-msg-by-id.js';
import { queryMsgByKey } from './query-msg-by-key.js';
import { queryMsgByOffset } from './query-msg-by-offset.js';
import { queryMsgByUniqueKey } from './query-msg-by-unique-key.js';
import { sendMessage } from './send-message.js';
import { statsAll } from './stats-all.js';

export const MESSAGE_COMMANDS: readonly CommandSpec[] = [queryMsgById, queryMsgByKey, queryMsgByUniqueKey, queryMsgByOffset, printMsg, sendMessage, consumeMessage, statsAll];
