import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { memoryLimitMb } from '../src/config/memory.js';

const LAUNCH = join(process.cwd(), 'dist/src/launch.js');
/** Runs in every process Node starts here: in the service's, says its heap limit and stops before the service starts. */
const PROBE =
  'data:text/javascript,import v8 from "node:v8"; if (process.argv[1].endsWith("main.js")) ' +
  '{ console.log(JSON.stringify({ limit: v8.getHeapStatistics().heap_size_limit / 1048576, pid: process.pid, argv: process.execArgv, ' +
  'malloc: [process.env.MALLOC_ARENA_MAX, process.env.MALLOC_MMAP_THRESHOLD_] })); process.exit(0); }';

function launch(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; pid: number | undefined; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', PROBE, LAUNCH], { env: { PATH: process.env.PATH, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, pid: child.pid, out, err }));
  });
}

describe('the launcher sizes the heap', () => {
  it('replaces itself with the service, its heap sized from MEMORY_LIMIT_MB (same pid)', async () => {
    const run = await launch({ MEMORY_LIMIT_MB: '384' });
    expect(run.code).toBe(0);
    const probe = JSON.parse(run.out) as { limit: number; pid: number; argv: string[] };
    expect(probe.pid).toBe(run.pid);
    expect(probe.argv).toEqual(expect.arrayContaining(['--max-old-space-size=288', '--max-semi-space-size=12']));
    expect(probe.limit).toBeGreaterThanOrEqual(288);
    expect(probe.limit).toBeLessThan(384);
  });

  it("starts the service with glibc's malloc settings, unless its caller set them", async () => {
    const run = JSON.parse((await launch({})).out) as { malloc: string[] };
    expect(run.malloc).toEqual(['2', '131072']);
    const own = JSON.parse((await launch({ MALLOC_ARENA_MAX: '4' })).out) as { malloc: string[] };
    expect(own.malloc).toEqual(['4', '131072']);
  });

  it('defaults to the cgroup limit or 256 MB, and leaves a heap sized by the caller alone', async () => {
    const expected = memoryLimitMb(undefined)!;
    const run = JSON.parse((await launch({})).out) as { limit: number; argv: string[] };
    if (expected <= 1024) expect(run.limit).toBeLessThan(expected);
    expect(run.argv.some((a) => a.startsWith('--max-old-space-size='))).toBe(true);
    const own = JSON.parse((await launch({ NODE_OPTIONS: '--max-old-space-size=700' })).out) as { limit: number; argv: string[] };
    expect(own.limit).toBeGreaterThanOrEqual(700);
    expect(own.argv.some((a) => a.startsWith('--max-old-space-size='))).toBe(false);
  });

  it('leaves an invalid MEMORY_LIMIT_MB to the service, which stops naming it (exit 78)', async () => {
    const child = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const c = spawn(process.execPath, [LAUNCH], { env: { PATH: process.env.PATH, MEMORY_LIMIT_MB: '64' } });
      let err = '';
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('close', (code) => resolve({ code, err }));
    });
    expect(child.code).toBe(78);
    expect(child.err).toMatch(/MEMORY_LIMIT_MB/);
  });
});
