import { type DynamicModule, RequestMethod, type Type, UseInterceptors } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, MODULE_METADATA } from '@nestjs/common/constants.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

type ModuleRef = Type | DynamicModule | Promise<DynamicModule> | undefined;

/** The controllers of a module and of every module it imports, each once. */
function controllersOf(modules: ModuleRef[], seen = new Set<unknown>(), found = new Set<Type>()): Set<Type> {
  for (const entry of modules) {
    if (!entry || entry instanceof Promise || seen.has(entry)) continue;
    seen.add(entry);
    const type = typeof entry === 'function' ? entry : entry.module;
    const dynamic = typeof entry === 'function' ? undefined : entry;
    const controllers = [
      ...((Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) as Type[] | undefined) ?? []),
      ...(dynamic?.controllers ?? []),
    ];
    for (const controller of controllers) found.add(controller);
    const imports = [
      ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleRef[] | undefined) ?? []),
      ...((dynamic?.imports as ModuleRef[] | undefined) ?? []),
    ];
    controllersOf(imports, seen, found);
  }
  return found;
}

/**
 * Binds the IdempotencyInterceptor to every POST route of the controllers reachable from `modules`, as if each
 * carried `@UseInterceptors(IdempotencyInterceptor)`: `Idempotency-Key` works on any POST, as before, while a GET
 * (every read) passes through no interceptor at all, which a global one would make it do (Nest then wraps every
 * request in its rxjs chain, a tenth of a small read's CPU). Runs before Nest scans the modules, so that the
 * interceptor is made as any interceptor a route names; binding a route twice is a no-op.
 */
export function bindIdempotencyToPosts(modules: ModuleRef[]): void {
  for (const controller of controllersOf(modules)) {
    // Its own methods and those it inherits, as Nest finds routes.
    for (let prototype = controller.prototype as object | null; prototype && prototype !== Object.prototype;) {
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
        const handler = descriptor?.value as object | undefined;
        if (name === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) !== RequestMethod.POST) continue;
        const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
        if (!bound.includes(IdempotencyInterceptor)) UseInterceptors(IdempotencyInterceptor)(prototype, name, descriptor!);
      }
      prototype = Object.getPrototypeOf(prototype) as object | null;
    }
  }
}
