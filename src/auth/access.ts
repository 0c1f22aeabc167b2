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
        sql: `${clusterIdColumn} IN (SELECT fv.cluster_id FROM funding fv WHERE fv.funder_id = :callerFunderId AND fv.archived_at IS NULL)`,
        params: { callerFunderId: caller.funderId },
      };
    default:
      return exhaustive(caller.role);
  }
}

/**
 * Which funders a caller may read: all for admins and viewers, those funding
 * one of its clusters for an editor, its own for a funder key.
 */
export function readableFunders(caller: Caller, funderIdColumn: string): { sql: string; params: Record<string, unknown> } {
  switch (caller.role) {
    case 'admin':
    case 'viewer':
      return { sql: 'TRUE', params: {} };
    case 'editor':
      return {
        sql: `${funderIdColumn} IN (SELECT fe.funder_id FROM funding fe WHERE fe.cluster_id = ANY(:callerClusterIds) AND fe.archived_at IS NULL)`,
        params: { callerClusterIds: caller.clusterIds },
      };
    case 'funder':
      return { sql: `${funderIdColumn} = :callerFunderId`, params: { callerFunderId: caller.funderId } };
    default:
      return exhaustive(caller.role);
  }
}

/**
 * Which fundings a caller may read: those of clusters it may read; a funder
 * key its own funder's, archived ones included (a funder keeps reading its
 * own records after they are archived, as its past reports do).
 */
export function readableFundings(caller: Caller, alias: string): { sql: string; params: Record<string, unknown> } {
  if (caller.role === 'funder') return { sql: `${alias}.funder_id = :callerFunderId`, params: { callerFunderId: caller.funderId } };
  return readableClusters(caller, `${alias}.cluster_id`);
}

/**
 * Which report submissions a caller may read: a funder key those made to its
 * funder (whatever became of the funding since); the others those of the
 * clusters they may read.
 */
export function readableSubmissions(caller: Caller, alias: string): { sql: string; params: Record<string, unknown> } {
  // The same rule as for fundings: both rows name their funder and their cluster.
  return readableFundings(caller, alias);
}

/**
 * What a route can name in a path parameter, for the guard to tell 404
 * (unreadable) from 403 (read-only): a cluster, a funder, a funding, or a row
 * of a table that belongs to a cluster (`cluster_id`), such as a plan item.
 */
export type Resource = 'cluster' | 'funder' | 'funding' | 'report submission' | { table: string; label: string };

/** The name of the resource in a 404: "The cluster was not found." */
export function resourceLabel(resource: Resource): string {
  return typeof resource === 'string' ? resource : resource.label;
}

/** A query returning a row when the caller may read the resource with id `:id`. */
export function readableResource(caller: Caller, resource: Resource): { sql: string; params: Record<string, unknown> } {
  const of = (table: string, visible: { sql: string; params: Record<string, unknown> }) => ({
    sql: `SELECT 1 FROM ${table} r WHERE r.id = :id AND ${visible.sql}`,
    params: visible.params,
  });
  switch (resource) {
    case 'cluster':
      return of('cluster', readableClusters(caller, 'r.id'));
    case 'funder':
      return of('funder', readableFunders(caller, 'r.id'));
    case 'funding':
      return of('funding', readableFundings(caller, 'r'));
    case 'report submission':
      return of('report_submission', readableSubmissions(caller, 'r'));
    default:
      if (!/^[a-z_]+$/.test(resource.table)) throw new Error(`Not a table name: ${resource.table}`);
      return of(resource.table, readableClusters(caller, 'r.cluster_id'));
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
