// Topic commands.
import type { CommandSpec } from '../../command.js';
import { topicList } from './topic-list.js';
import { topicRoute } from './topic-route.js';

export const TOPIC_COMMANDS: readonly CommandSpec[] = [topicList, topicRoute];
