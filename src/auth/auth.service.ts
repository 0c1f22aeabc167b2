import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Environment } from '../config/environment.js';
import { generateSecret, hashSecret, prefixOf, secretDigest } from './api-key-secret.js';
import type { Resource } from './access.js';
import { AuthRepository } from './auth.repository.js';
import { type Caller, ROLES, type Role } from './role.js';
import { DomainError } from '../common/domain-error.js';
import { transaction } from '../database/transaction-context.js';

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
  private generatedAdminSecret: string | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: AuthRepository,
    private readonly env: Environment,
  ) {}

  /** Whether the caller may read the resource with this id (archived or not). */
  mayRead(caller: Caller, resource: Resource, id: string): Promise<boolean> {
    return this.repository.mayRead(caller, resource, id);
  }

  /** Every cluster named must be one the caller may read (422 naming clusterIds otherwise). */
  async assertReadableClusters(caller: Caller, clusterIds: string[] | null | undefined): Promise<void> {
    if (!clusterIds || clusterIds.length === 0) return;
    if ((await this.repository.readableClusterCount(caller, clusterIds)) !== clusterIds.length) {
      throw DomainError.rule('clusterIds', 'clusterIds must name clusters this key may read');
    }
  }

  /** The caller a secret belongs to; undefined for an unknown or revoked key. */
  async resolve(secret: string): Promise<Caller | undefined> {
    // Keyed by the secret's digest, never the secret itself.
    const cacheKey = secretDigest(secret);
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > Date.now()) return cached.caller;

    const hash = Buffer.from(cacheKey, 'base64');
    const key = await this.repository.byDigest(hash);
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
   * Unset and no active admin key: one is generated, and shown once at the end of start-up.
   */
  async ensureAdminKey(): Promise<void> {
    const configured = this.env.ADMIN_API_KEY;
    const generated = await transaction(this.dataSource, async () => {
      // Several instances may start at once: let one of them decide.
      await this.repository.lockAdminKey();
      if (configured) {
        const hash = hashSecret(configured);
        const existing = await this.repository.byDigest(hash);
        if (existing?.revokedAt) this.logger.warn(`The key in ADMIN_API_KEY (${existing.prefix}…) has been revoked; it stays revoked.`);
        if (!existing) {
          await this.repository.insertAdmin('admin (ADMIN_API_KEY)', prefixOf(configured), hash);
          this.logger.log(`Admin key from ADMIN_API_KEY registered (${prefixOf(configured)}…)`);
        }
        return undefined;
      }
      if ((await this.repository.activeAdmins()) > 0) return undefined;
      const secret = generateSecret();
      await this.repository.insertAdmin('admin (generated at first start)', prefixOf(secret), hashSecret(secret));
      return secret;
    });
    this.generatedAdminSecret = generated;
  }

  /** Keys that are not revoked, per role (for the block start-up prints). */
  async activeKeyCounts(): Promise<Record<Role, number>> {
    const counts = Object.fromEntries(ROLES.map((role) => [role, 0])) as Record<Role, number>;
    for (const { role, n } of await this.repository.activeKeysByRole()) counts[role] = n;
    return counts;
  }

  /** The admin key generated by this start, if one was: handed out once, for the start-up block to show. */
  takeGeneratedAdminSecret(): string | undefined {
    const secret = this.generatedAdminSecret;
    this.generatedAdminSecret = undefined;
    return secret;
  }
}
