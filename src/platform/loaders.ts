import DataLoader from 'dataloader';
import type { OperationContext } from './context';

/**
 * A DataLoader definition: the batch function is written once, the loader instance lives
 * in one operation's context only, so nothing cached outlives the operation.
 */
export interface LoaderDefinition<K, V> {
  readonly name: string;
  load(op: OperationContext, key: K): Promise<V>;
  loadMany(op: OperationContext, keys: readonly K[]): Promise<V[]>;
}

/** An operation's loaders (op.loaders): opaque, so `defineLoader` below is the one way to make a DataLoader. */
export class OperationLoaders {}

const instances = new WeakMap<OperationLoaders, Map<object, DataLoader<unknown, unknown>>>();

function instance<K, V>(loaders: OperationLoaders, definition: object, create: () => DataLoader<K, V>): DataLoader<K, V> {
  let ofOperation = instances.get(loaders);
  if (!ofOperation) {
    ofOperation = new Map();
    instances.set(loaders, ofOperation);
  }
  let loader = ofOperation.get(definition);
  if (!loader) {
    loader = create() as DataLoader<unknown, unknown>;
    ofOperation.set(definition, loader);
  }
  return loader as DataLoader<K, V>;
}

/** `batch` must return one value (or Error) per key, in the order of `keys`. */
export function defineLoader<K, V>(
  name: string,
  batch: (op: OperationContext, keys: readonly K[]) => Promise<Array<V | Error>>,
): LoaderDefinition<K, V> {
  const definition: LoaderDefinition<K, V> = {
    name,
    load: (op, key) => loaderFor(op).load(key),
    loadMany: async (op, keys) => {
      const values = await loaderFor(op).loadMany(keys);
      return values.map((value) => {
        if (value instanceof Error) throw value;
        return value;
      });
    },
  };
  const loaderFor = (op: OperationContext) =>
    instance(op.loaders, definition, () => new DataLoader<K, V>((keys) => batch(op, keys), { maxBatchSize: 500 }));
  return definition;
}
