// Consumer/producer group, offset and connection commands.
import type { CommandSpec } from '../../command.js';
import { cloneGroupOffset } from './clone-group-offset.js';
import { consumerConnection } from './consumer-connection.js';
import { consumerProgress } from './consumer-progress.js';
import { deleteSubGroup } from './delete-sub-group.js';
import { producerConnection } from './producer-connection.js';
import { resetOffsetByTime } from './reset-offset-by-time.js';
import { updateSubGroup } from './update-sub-group.js';

export const GROUP_COMMANDS: readonly CommandSpec[] = [
  updateSubGroup, deleteSubGroup, consumerProgress, consumerConnection, producerConnection, resetOffsetByTime, cloneGroupOffset,
];
