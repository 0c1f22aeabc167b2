import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { type Mutant, MUTANTS } from '../test/mutants/mutants.js';

/**
 * `npm run test:mutants`: applies each deliberate break of test/mutants/mutants.ts to the compiled code, runs the
 * suite that must catch it, restores the code, and prints `mutants: N applied, K killed, S survived`. Exits 1 when
 * a break survived or no longer matches the code. `MUTANTS=<text>` runs only those whose claim or file contains it.
 * One PostgreSQL serves every run (each suite still starts from its own fresh databases).
 */
const root = join(import.meta.dirname, '..', '..');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');

function occurrences(text: string, find: string): number {
  return text.split(find).length - 1;
}

function compiled(file: string): string {
  return join(root, 'dist', file.replace(/\.ts$/, '.js'));
}

function editsOf(m: Mutant): { find: string; replace: string }[] {
  return [{ find: m.find, replace: m.replace }, ...(m.and ?? [])];
}

/** Why the mutant cannot be applied as written, or null. */
function stale(m: Mutant): string | null {
  const source = readFileSync(join(root, m.file), 'utf8');
  const build = readFileSync(compiled(m.file), 'utf8');
  for (const { find } of editsOf(m)) {
    const [inSource, inBuild] = [occurrences(source, find), occurrences(build, find)];
    if (inSource !== 1 || inBuild !== 1) return `"${find}" occurs ${inSource} times in ${m.file} and ${inBuild} in its build, not once`;
  }
  return null;
}

/** Runs the mutant's suite with the break in place; true when the suite failed (the break was caught). */
function killed(m: Mutant, databaseUrl: string): boolean {
  const path = compiled(m.file);
  const original = readFileSync(path, 'utf8');
  writeFileSync(
    path,
    editsOf(m).reduce((text, { find, replace }) => text.replace(find, replace), original),
  );
  try {
    const args = ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', jest, '--testPathPatterns', m.suite, '--silent'];
    if (m.test) args.push('--testNamePattern', m.test);
    const started = Date.now();
    const run = spawnSync(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...m.env, DATABASE_URL: databaseUrl },
      encoding: 'utf8',
      timeout: 300_000,
    });
    const summary = /Tests:.*$/m.exec(`${run.stdout}${run.stderr}`)?.[0] ?? `no summary (exit ${run.status})`;
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
      `  ${run.status === 0 ? 'SURVIVED' : 'killed  '} ${m.claim} [${m.suite}${m.test ? ` -t "${m.test}"` : ''}] ${summary} (${seconds} s)`,
    );
    return run.status !== 0 && /Tests:.*\d+ failed/.test(summary);
  } finally {
    writeFileSync(path, original);
  }
}

async function main(): Promise<number> {
  const only = process.env.MUTANTS;
  const mutants = MUTANTS.filter((m) => !only || m.claim.includes(only) || m.file.includes(only));
  const staleOnes = mutants.map((m) => [m, stale(m)] as const).filter(([, why]) => why !== null);
  for (const [m, why] of staleOnes) console.log(`  STALE    ${m.claim}: ${why}`);

  let databaseUrl = process.env.DATABASE_URL;
  let server: EmbeddedPostgres | undefined;
  if (!databaseUrl) {
    server = await EmbeddedPostgres.start({ dataDir: await mkdtemp(join(tmpdir(), 'styrman-mutants-')), ephemeral: true });
    databaseUrl = server.url;
  }
  let applied = 0;
  let kills = 0;
  try {
    for (const m of mutants) {
      if (staleOnes.some(([s]) => s === m)) continue;
      applied++;
      if (killed(m, databaseUrl)) kills++;
    }
  } finally {
    await server?.stop();
  }
  const survived = applied - kills;
  console.log(`mutants: ${applied} applied, ${kills} killed, ${survived} survived${staleOnes.length ? `, ${staleOnes.length} stale` : ''}`);
  return survived === 0 && staleOnes.length === 0 && applied > 0 ? 0 : 1;
}

process.exitCode = await main();
