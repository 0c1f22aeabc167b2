import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Today } from '../common/calendar.js';
import { Clock } from '../common/clock.js';
import { Environment } from './environment.js';

/** Makes the validated Environment, the day it is in its time zone, and the clock of scheduled work injectable everywhere. */
@Global()
@Module({})
export class EnvironmentModule {
  static forRoot(env: Environment): DynamicModule {
    return {
      module: EnvironmentModule,
      providers: [{ provide: Environment, useValue: env }, Today, Clock],
      exports: [Environment, Today, Clock],
    };
  }
}
