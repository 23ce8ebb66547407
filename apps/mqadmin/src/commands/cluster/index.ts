// Cluster and broker commands.
import type { CommandSpec } from '../../command.js';
import { brokerStatus } from './broker-status.js';
import { clusterList } from './cluster-list.js';
import { getBrokerConfig } from './get-broker-config.js';
import { updateBrokerConfig } from './update-broker-config.js';

export const CLUSTER_COMMANDS: readonly CommandSpec[] = [clusterList, brokerStatus, getBrokerConfig, updateBrokerConfig];
