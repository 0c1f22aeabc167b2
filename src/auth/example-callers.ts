import type { Caller, Role } from './role.js';

/** Fixed ids for the example calls from which `npm run sql` writes queries out (see `@GenerateSql`). */
export const EXAMPLE_IDS = {
  cluster: '00000000-0000-4000-8000-00000000c001',
  otherCluster: '00000000-0000-4000-8000-00000000c002',
  funder: '00000000-0000-4000-8000-00000000f001',
} as const;

/** A caller of the role, for the example calls of `@GenerateSql`. */
export function exampleCaller(role: Role): Caller {
  return {
    keyId: '00000000-0000-4000-8000-00000000a001',
    name: `example ${role} key`,
    role,
    clusterIds: role === 'editor' ? [EXAMPLE_IDS.cluster, EXAMPLE_IDS.otherCluster] : [],
    funderId: role === 'funder' ? EXAMPLE_IDS.funder : null,
  };
}
