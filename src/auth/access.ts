import { DomainError } from '../common/domain-error.js';
import type { Caller } from './role.js';

/**
 * Which clusters a caller may read, as a SQL condition on a cluster id column,
 * with its parameters. Everything in Styrman belongs to a cluster, so every
 * read filters through this one rule.
 */
export function readableClusters(caller: Caller, clusterIdColumn: string): { sql: string; params: Record<string, unknown> } {
  switch (caller.role) {
    case 'admin':
    case 'viewer':
      return { sql: 'TRUE', params: {} };
    case 'editor':
      return { sql: `${clusterIdColumn} = ANY(:callerClusterIds)`, params: { callerClusterIds: caller.clusterIds } };
    case 'funder':
      return {
        sql: `${clusterIdColumn} IN (SELECT fd.cluster_id FROM funding fd WHERE fd.funder_id = :callerFunderId)`,
        params: { callerFunderId: caller.funderId },
      };
    default:
      return exhaustive(caller.role);
  }
}

/** Whether the caller may change the plan of a cluster it can read. */
export function canWriteCluster(caller: Caller, clusterId: string): boolean {
  switch (caller.role) {
    case 'admin':
      return true;
    case 'editor':
      return caller.clusterIds.includes(clusterId);
    case 'funder':
    case 'viewer':
      return false;
    default:
      return exhaustive(caller.role);
  }
}

export function assertCanWriteCluster(caller: Caller, clusterId: string): void {
  if (!canWriteCluster(caller, clusterId)) {
    throw DomainError.forbidden(`A ${caller.role} key may read this cluster's plan but not change it.`);
  }
}

export function exhaustive(value: never): never {
  throw new Error(`Unhandled value: ${String(value)}`);
}
