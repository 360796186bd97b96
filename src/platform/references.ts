import type { OperationContext } from './context';
import { defineLoader, type LoaderDefinition } from './loaders';

/**
 * Federation-style references: a module that returns another module's type returns
 * `reference('User', id)`, and the owning module resolves it (Apollo Federation's `__resolveReference`).
 */
export interface EntityReference {
  readonly __typename: string;
  readonly id: string;
}

export function reference(typename: string, id: string): EntityReference {
  return { __typename: typename, id };
}

export function isReference(value: unknown): value is EntityReference {
  return typeof value === 'object' && value !== null && typeof (value as EntityReference).__typename === 'string' && typeof (value as EntityReference).id === 'string';
}

/** The owner's batch resolution with the owner's own access rule: null = unknown or not yours to see. */
export interface ReferenceResolver<T> {
  resolveReferences(op: OperationContext, ids: readonly string[]): Promise<Array<T | null>>;
}

/** What a module lists in `AuraModule.references`: a resolver class per GraphQL type it owns, bound in the container. */
export type ReferenceResolverClass = new (...args: any[]) => ReferenceResolver<unknown>;

export class ReferenceError extends Error {}

/** The owners' resolvers by type name; each type gets one DataLoader per operation, so one batch per type. */
export class References {
  private readonly byType = new Map<string, { module: string; loader: LoaderDefinition<string, unknown> }>();

  register(module: string, typename: string, resolver: ReferenceResolver<unknown>): void {
    const previous = this.byType.get(typename);
    if (previous) {
      throw new ReferenceError(`Type ${typename} has references resolved by both module "${previous.module}" and module "${module}"; a type has one owner`);
    }
    const loader = defineLoader<string, unknown>(`references.${typename}`, async (op, ids) => (await resolver.resolveReferences(op, ids)).map((entity) => entity ?? null));
    this.byType.set(typename, { module, loader });
  }

  /** The module that resolves references to this type (its owner), if any. */
  ownerOf(typename: string): string | undefined {
    return this.byType.get(typename)?.module;
  }

  /** Each type with its owner. */
  owners(): Array<[typename: string, module: string]> {
    return [...this.byType].map(([typename, { module }]) => [typename, module]);
  }

  /** The entity the reference points to, as its owner shows it to this operation's viewer; null if unknown or not theirs to see. */
  resolve<T>(op: OperationContext, ref: EntityReference): Promise<T | null> {
    // The loader's own promise: a page of 50 sessions resolves 100 references, each a field of its own.
    return this.loaderOf(ref.__typename).load(op, ref.id) as Promise<T | null>;
  }

  resolveMany<T>(op: OperationContext, refs: readonly EntityReference[]): Promise<Array<T | null>> {
    return Promise.all(refs.map((ref) => this.resolve<T>(op, ref)));
  }

  private loaderOf(typename: string): LoaderDefinition<string, unknown> {
    const owner = this.byType.get(typename);
    if (!owner) throw new ReferenceError(`No module resolves references to ${typename}; is its owner enabled?`);
    return owner.loader;
  }
}
