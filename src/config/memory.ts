import { readFileSync } from 'node:fs';

/** The memory an instance is sized for when neither MEMORY_LIMIT_MB nor a cgroup limit says otherwise. */
export const DEFAULT_MEMORY_LIMIT_MB = 256;

/** What is left outside the JavaScript heap: code, native buffers, sockets, the young generation (MB). */
const OUTSIDE_HEAP_MB = 96;

/** The memory limit of the cgroup this process runs in (v2, then v1), in MB; undefined when there is none. */
export function cgroupMemoryLimitMb(read: (path: string) => string = (p) => readFileSync(p, 'utf8')): number | undefined {
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    let text: string;
    try {
      text = read(path).trim();
    } catch {
      continue;
    }
    // "max" (v2) or a number near 2^63 (v1): no limit.
    if (!/^\d+$/.test(text)) return undefined;
    const bytes = Number(text);
    if (!Number.isFinite(bytes) || bytes >= 2 ** 60) return undefined;
    return Math.floor(bytes / 1024 / 1024);
  }
  return undefined;
}

/** Whether MEMORY_LIMIT_MB, as written, is valid: 0 (Node's own heap sizing) or 128 … 1,048,576. */
export function isMemoryLimit(value: number): boolean {
  return Number.isInteger(value) && (value === 0 || (value >= 128 && value <= 1_048_576));
}

/**
 * The memory an instance is sized for, in MB: MEMORY_LIMIT_MB when set, else the cgroup's limit (a container's
 * memory limit), else 256. 0: Node sizes its heap itself (from the machine's memory). Undefined when
 * MEMORY_LIMIT_MB is not valid (start-up then stops naming it).
 */
export function memoryLimitMb(raw: string | undefined, cgroup: () => number | undefined = cgroupMemoryLimitMb): number | undefined {
  if (raw === undefined || raw.trim() === '') return cgroup() ?? DEFAULT_MEMORY_LIMIT_MB;
  if (!/^\s*\d+\s*$/.test(raw)) return undefined;
  const value = Number(raw);
  return isMemoryLimit(value) ? value : undefined;
}

/**
 * V8's heap flags for a memory limit: the old generation gets what is left after `OUTSIDE_HEAP_MB` (at least
 * half the limit), the semi-space a 32nd of the limit between 1 and 32 MB. 256 MB → 160 MB old space, 8 MB
 * semi-space. Node's own sizing for 0.
 */
export function heapFlags(limitMb: number): string[] {
  if (limitMb === 0) return [];
  const oldSpace = Math.max(Math.floor(limitMb / 2), limitMb - OUTSIDE_HEAP_MB);
  const semiSpace = Math.min(32, Math.max(1, Math.floor(limitMb / 32)));
  return [`--max-old-space-size=${oldSpace}`, `--max-semi-space-size=${semiSpace}`];
}

/** Whether the heap was sized by whoever started Node (a flag on its command line or in NODE_OPTIONS): then it is left alone. */
export function heapSizedByCaller(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const sized = (arg: string) => /^--max[-_]old[-_]space[-_]size(=|$)/.test(arg) || /^--max[-_]semi[-_]space[-_]size(=|$)/.test(arg);
  return execArgv.some(sized) || (nodeOptions ?? '').split(/\s+/).some(sized);
}

/**
 * glibc's malloc settings for the service, each unless its caller set it: at most 2 arenas (one per thread that
 * allocates otherwise: the zlib and brotli streams of compressed reports run on libuv's threads), and a fixed mmap
 * threshold of 128 KB (glibc raises it after each large free, after which the large buffers of report streams come
 * from the arenas, stay there after they are freed and fragment them). Measured on the benchmark's report scenarios:
 * peak RSS 243 MB without, 210 MB with the threshold, 211 MB with the arenas. Other C libraries ignore them.
 */
export function mallocEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const settings: Record<string, string> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
  return Object.fromEntries(Object.entries(settings).filter(([name]) => env[name] === undefined));
}
