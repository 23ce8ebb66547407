// Topic commands.
import type { CommandSpec } from '../../command.js';
import { deleteTopic } from './delete-topic.js';
import { topicClusterList } from './topic-cluster-list.js';
import { topicList } from './topic-list.js';
import { topicRoute } from './topic-route.js';
import { topicStatus } from './topic-status.js';
import { updateTopic } from './update-topic.js';
import { updateTopicPerm } from './update-topic-perm.js';

export const TOPIC_COMMANDS: readonly CommandSpec[] = [topicList, topicRoute, topicStatus, topicClusterList, updateTopic, updateTopicPerm, deleteTopic];
