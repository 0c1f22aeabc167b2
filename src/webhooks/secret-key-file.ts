import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Environment, EnvironmentError } from '../config/environment.js';

/** The file in STYRMAN_DATA_DIR that keeps the generated WEBHOOK_SECRET_KEY of an embedded database. */
export const WEBHOOK_KEY_FILE = 'webhook-secret-key';

/**
 * Makes sure WEBHOOK_SECRET_KEY is set before start-up goes on. With
 * DATABASE_URL it must be given (an EnvironmentError naming it otherwise:
 * several instances must share it, and a generated one would die with the
 * container). With the embedded database and none given, the key kept in
 * STYRMAN_DATA_DIR is used, made (mode 600) at the first start: the data
 * folder holds the database, so the key lives exactly as long as the secrets
 * it encrypts.
 */
export async function ensureWebhookSecretKey(env: Environment): Promise<void> {
  if (env.WEBHOOK_SECRET_KEY) return;
  if (env.DATABASE_URL) {
    throw new EnvironmentError(
      'Invalid configuration:\n  WEBHOOK_SECRET_KEY: must be set when DATABASE_URL is set (32 bytes as 64 hex digits or base64, ' +
        'for example from `openssl rand -hex 32`); every instance needs the same one. It encrypts webhook secrets at rest.',
    );
  }
  env.WEBHOOK_SECRET_KEY = await keptKey(join(env.STYRMAN_DATA_DIR, WEBHOOK_KEY_FILE));
}

/** The key in `file`, made there (64 hex digits, mode 600) if there is none yet; `why` says why a lost one matters. */
export async function keptKey(file: string, why = 'webhook secrets open only with the key that encrypted them'): Promise<string> {
  const read = async () => (await readFile(file, 'utf8')).trim();
  try {
    return check(file, await read(), why);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(join(file, '..'), { recursive: true });
  try {
    await writeFile(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Made at the same moment by another start: use that one.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return check(file, await read(), why);
}

function check(file: string, key: string, why: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(key)) throw new Error(`${file} does not hold a key (64 hex digits): restore it from a backup (${why})`);
  return key;
}
