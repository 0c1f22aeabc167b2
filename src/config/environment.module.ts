import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Today } from '../common/calendar.js';
import { Environment } from './environment.js';

/** Makes the validated Environment, and the day it is in its time zone, injectable everywhere. */
@Global()
@Module({})
export class EnvironmentModule {
  static forRoot(env: Environment): DynamicModule {
    return { module: EnvironmentModule, providers: [{ provide: Environment, useValue: env }, Today], exports: [Environment, Today] };
  }
}
