import { Global, Module } from '@nestjs/common';
import { ReplicaReads } from './replica-reads.js';

/** The streaming replica reads about the past may use (DATABASE_REPLICA_URL). */
@Global()
@Module({ providers: [ReplicaReads], exports: [ReplicaReads] })
export class ReplicaModule {}
