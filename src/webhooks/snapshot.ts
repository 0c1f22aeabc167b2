/**
 * A PostgreSQL snapshot (`pg_snapshot`, as text `xmin:xmax:xip,…`): which
 * transactions had committed when it was taken. `visible(xid)` is
 * `pg_visible_in_snapshot` for a transaction that has ended since.
 */
export interface Snapshot {
  visible(xid: bigint): boolean;
}

export function parseSnapshot(text: string): Snapshot {
  const m = /^(\d+):(\d+):([\d,]*)$/.exec(text);
  if (!m) throw new Error(`Not a snapshot: ${text}`);
  const xmin = BigInt(m[1]);
  const xmax = BigInt(m[2]);
  const inProgress = new Set(m[3] ? m[3].split(',') : []);
  return {
    visible: (xid) => xid < xmin || (xid < xmax && !inProgress.has(xid.toString())),
  };
}
