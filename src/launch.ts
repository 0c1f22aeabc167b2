/**
 * Starts Styrman with its heap sized for its memory limit (MEMORY_LIMIT_MB, else the cgroup's limit, else
 * 256 MB; see config/memory): Node otherwise sizes its heap from the machine's memory and collects lazily,
 * growing far beyond what the service needs. Replaces this process with `node <heap flags> main.js` (same
 * pid, same standard streams, signals go straight to the service), so nothing of the launcher stays in
 * memory, with glibc's malloc told to keep fewer arenas and to return large buffers (mallocEnvironment). Heap flags given to Node by its caller win; an invalid MEMORY_LIMIT_MB is left to the service's
 * own validation, which stops start-up naming it. Kept free of imports beyond Node's own: it runs before
 * the service's modules are loaded.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { heapFlags, heapSizedByCaller, mallocEnvironment, memoryLimitMb } from './config/memory.js';

const main = fileURLToPath(new URL('./main.js', import.meta.url));
const limit = memoryLimitMb(process.env.MEMORY_LIMIT_MB);
const flags = limit === undefined || heapSizedByCaller(process.execArgv, process.env.NODE_OPTIONS) ? [] : heapFlags(limit);
const args = [...process.execArgv, ...flags, main, ...process.argv.slice(2)];
// Read by glibc when the service's process starts: set here, before it does.
const env = { ...process.env, ...mallocEnvironment(process.env) };

if (typeof process.execve === 'function') {
  process.execve(process.execPath, [process.execPath, ...args], env);
} else {
  // Without execve (not Linux or macOS): the service as a child, its exit code and signals passed through.
  const child = spawn(process.execPath, args, { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
