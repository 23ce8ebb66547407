// Cluster and broker commands.
import type { CommandSpec } from '../../command.js';
import { clusterList } from './cluster-list.js';

export const CLUSTER_COMMANDS: readonly CommandSpec[] = [clusterList];
