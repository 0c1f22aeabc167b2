import { cgroupMemoryLimitMb, heapFlags, heapSizedByCaller, mallocEnvironment, memoryLimitMb } from './memory.js';

describe('the memory an instance is sized for', () => {
  it('takes MEMORY_LIMIT_MB, else the cgroup limit, else 256 MB', () => {
    expect(memoryLimitMb('512', () => 1024)).toBe(512);
    expect(memoryLimitMb(undefined, () => 1024)).toBe(1024);
    expect(memoryLimitMb('', () => undefined)).toBe(256);
    expect(memoryLimitMb('0', () => 1024)).toBe(0);
    for (const bad of ['64', 'lots', '-1', '2.5', '2000000']) expect(memoryLimitMb(bad, () => undefined)).toBeUndefined();
  });

  it('reads the cgroup v2 limit, then v1, and no limit as none', () => {
    const files = (map: Record<string, string>) => (path: string) => {
      if (path in map) return map[path];
      throw new Error('ENOENT');
    };
    expect(cgroupMemoryLimitMb(files({ '/sys/fs/cgroup/memory.max': '536870912\n' }))).toBe(512);
    expect(cgroupMemoryLimitMb(files({ '/sys/fs/cgroup/memory.max': 'max\n' }))).toBeUndefined();
    expect(cgroupMemoryLimitMb(files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '1073741824' }))).toBe(1024);
    expect(cgroupMemoryLimitMb(files({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712' }))).toBeUndefined();
    expect(cgroupMemoryLimitMb(files({}))).toBeUndefined();
  });

  it('sizes the old generation and the semi-space from the limit', () => {
    expect(heapFlags(256)).toEqual(['--max-old-space-size=160', '--max-semi-space-size=8']);
    expect(heapFlags(128)).toEqual(['--max-old-space-size=64', '--max-semi-space-size=4']);
    expect(heapFlags(4096)).toEqual(['--max-old-space-size=4000', '--max-semi-space-size=32']);
    expect(heapFlags(0)).toEqual([]);
  });

  it('leaves a heap sized by whoever started Node alone', () => {
    expect(heapSizedByCaller(['--max-old-space-size=300'], undefined)).toBe(true);
    expect(heapSizedByCaller([], '--enable-source-maps --max_old_space_size=300')).toBe(true);
    expect(heapSizedByCaller(['--enable-source-maps'], '--max-semi-space-size=4')).toBe(true);
    expect(heapSizedByCaller(['--enable-source-maps'], undefined)).toBe(false);
  });

  it("sets glibc's arena count and mmap threshold unless its caller did", () => {
    expect(mallocEnvironment({})).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(mallocEnvironment({ MALLOC_ARENA_MAX: '8' })).toEqual({ MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(mallocEnvironment({ MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '65536' })).toEqual({});
  });
});
