import type { Container } from 'inversify';

/** A typed key under which one module offers a service to the others (see src/contracts). */
export interface ServiceToken<T> {
  readonly key: symbol;
  readonly name: string;
  /** Phantom field carrying the service type; never set. */
  readonly type?: T;
}

/** A typed key many modules may contribute to (e.g. visibility rules), read as a list. */
export interface ExtensionPoint<T> {
  readonly key: symbol;
  readonly name: string;
  readonly type?: T;
}

export function serviceToken<T>(name: string): ServiceToken<T> {
  return { key: Symbol.for(`aura.service.${name}`), name };
}

export function extensionPoint<T>(name: string): ExtensionPoint<T> {
  return { key: Symbol.for(`aura.extension.${name}`), name };
}

export class MissingServiceError extends Error {}

/**
 * Synchronous calls between modules go through here: a module provides a service under a
 * contract token, another gets it by the same token, and neither imports the other.
 */
export class ServiceRegistry {
  constructor(private readonly container: Container) {}

  provide<T>(token: ServiceToken<T>, service: T): void {
    if (this.container.isBound(token.key)) throw new Error(`Service ${token.name} is already provided`);
    this.container.bind<T>(token.key).toConstantValue(service);
  }

  has(token: ServiceToken<unknown>): boolean {
    return this.container.isBound(token.key);
  }

  get<T>(token: ServiceToken<T>): T {
    if (!this.has(token)) {
      throw new MissingServiceError(`No module provides ${token.name}; is the module that provides it enabled?`);
    }
    return this.container.get<T>(token.key);
  }

  contribute<T>(point: ExtensionPoint<T>, contribution: T): void {
    this.container.bind<T>(point.key).toConstantValue(contribution);
  }

  contributions<T>(point: ExtensionPoint<T>): T[] {
    return this.container.isBound(point.key) ? this.container.getAll<T>(point.key) : [];
  }
}
