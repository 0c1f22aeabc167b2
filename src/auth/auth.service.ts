import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { ApiKey } from './api-key.entity.js';
import { generateSecret, hashSecret, prefixOf } from './api-key-secret.js';
import type { Caller } from './role.js';

/** How long a resolved key is trusted without asking the database: revocation takes effect within this time. */
export const KEY_CACHE_TTL_MS = 5_000;
const KEY_CACHE_MAX_ENTRIES = 10_000;

interface CachedCaller {
  caller: Caller;
  expiresAt: number;
}

/** Resolves API keys to callers, and makes sure an admin key exists at start-up. */
@Injectable()
export class AuthService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AuthService.name);
  private readonly cache = new Map<string, CachedCaller>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly env: Environment,
  ) {}

  /** The caller a secret belongs to; undefined for an unknown or revoked key. */
  async resolve(secret: string): Promise<Caller | undefined> {
    const hash = hashSecret(secret);
    const cacheKey = hash.toString('base64');
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.caller;

    const key = await this.dataSource.getRepository(ApiKey).findOne({ where: { secretHash: hash } });
    // The lookup is by digest; comparing digests in constant time keeps it so end to end.
    if (!key || key.revokedAt || !timingSafeEqual(key.secretHash, hash)) {
      this.cache.delete(cacheKey);
      return undefined;
    }
    const caller: Caller = {
      keyId: key.id,
      name: key.name,
      role: key.role,
      clusterIds: key.clusterIds,
      funderId: key.funderId,
    };
    if (this.cache.size >= KEY_CACHE_MAX_ENTRIES) this.cache.clear();
    this.cache.set(cacheKey, { caller, expiresAt: Date.now() + KEY_CACHE_TTL_MS });
    return caller;
  }

  /** Forgets cached keys at once (after a revocation on this instance). */
  forget(keyId: string): void {
    for (const [hash, entry] of this.cache) if (entry.caller.keyId === keyId) this.cache.delete(hash);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureAdminKey();
  }

  /**
   * ADMIN_API_KEY set: an admin key with that secret exists afterwards.
   * Unset and no active admin key: one is generated and printed once.
   */
  async ensureAdminKey(): Promise<void> {
    const configured = this.env.ADMIN_API_KEY;
    const generated = await this.dataSource.transaction(async (manager) => {
      // Several instances may start at once: let one of them decide.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('styrman.ensure-admin-key'))`);
      const repo = manager.getRepository(ApiKey);
      if (configured) {
        const hash = hashSecret(configured);
        const existing = await repo.findOne({ where: { secretHash: hash } });
        if (existing?.revokedAt) this.logger.warn(`The key in ADMIN_API_KEY (${existing.prefix}…) has been revoked; it stays revoked.`);
        if (!existing) {
          await repo.insert({ name: 'admin (ADMIN_API_KEY)', role: 'admin', prefix: prefixOf(configured), secretHash: hash });
          this.logger.log(`Admin key from ADMIN_API_KEY registered (${prefixOf(configured)}…)`);
        }
        return undefined;
      }
      const active = await repo.createQueryBuilder('k').where(`k.role = 'admin' AND k.revokedAt IS NULL`).getCount();
      if (active > 0) return undefined;
      const secret = generateSecret();
      await repo.insert({
        name: 'admin (generated at first start)',
        role: 'admin',
        prefix: prefixOf(secret),
        secretHash: hashSecret(secret),
      });
      return secret;
    });
    if (generated) {
      // Printed once, outside the structured log, so that it never lands in log storage by accident.
      process.stdout.write(
        `\n  Styrman admin API key (shown once, keep it safe):\n\n    ${generated}\n\n` +
          `  Use it as "Authorization: Bearer <key>" or in Swagger UI's Authorize dialog.\n\n`,
      );
    }
  }
}
