import type { Container, Newable } from 'inversify';

/**
 * The one kind of key in Aura: a typed symbol naming a service. Platform services
 * (src/platform/container.ts) and the contract services modules offer each other
 * (src/contracts) are keyed the same way, and a class asks for one by constructor parameter:
 * `@inject(UserDirectory) private readonly users: UserDirectory`.
 */
export type ServiceKey<T> = symbol & { readonly __service?: T };

export function serviceKey<T>(name: string): ServiceKey<T> {
  return Symbol.for(`aura.${name}`) as ServiceKey<T>;
}

/** The name a key was made with, for messages. */
export function keyName(key: symbol): string {
  return (key.description ?? 'service').replace(/^aura\./, '');
}

export class MissingServiceError extends Error {}

/**
 * Synchronous calls between modules go through here: a module provides a class under a contract
 * key, another module's classes receive it by constructor injection, and neither imports the
 * other. Only the platform holds the registry; modules never look services up.
 */
export class ServiceRegistry {
  constructor(private readonly container: Container) {}

  /** The key resolves to the (singleton) provider class, which the module also binds as itself. */
  provide<T>(key: ServiceKey<T>, implementation: Newable<T>): void {
    if (this.container.isBound(key)) throw new Error(`Service ${keyName(key)} is already provided`);
    this.container.bind<T>(key).toService(implementation);
  }

  /** One of many contributions to an extension point (a key read as a list, e.g. visibility rules). */
  contribute<T>(key: ServiceKey<T>, implementation: Newable<T>): void {
    this.container.bind<T>(key).toService(implementation);
  }

  has(key: ServiceKey<unknown>): boolean {
    return this.container.isBound(key);
  }

  /** For the platform's own optional needs (e.g. no users module: tokens are all there is). */
  find<T>(key: ServiceKey<T>): T | undefined {
    return this.container.isBound(key) ? this.container.get<T>(key) : undefined;
  }

  get<T>(key: ServiceKey<T>): T {
    if (!this.has(key)) throw new MissingServiceError(`No module provides ${keyName(key)}; is the module that provides it enabled?`);
    return this.container.get<T>(key);
  }
}
