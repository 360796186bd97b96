import { inject, injectable } from 'inversify';
import type { OperationContext } from '../../../platform/context';
import { InvalidInputError } from '../../../platform/errors';
import { cursorCodec, pageSize, toConnection, type Connection } from '../../../platform/paging';
import { isUuid } from '../../../platform/ids';
import type { Disorder, DisorderType } from '../domain/disorder';
import { MentalHealthStoreKey, type MentalHealthStore } from './ports';

export const MAX_SEARCH_RESULTS = 50;
/** The catalogue is paged by name. */
const DISORDER_CURSOR = cursorCodec('disorders', { name: 'text' });
const MAX_QUERY_LENGTH = 200;

/** The reference catalogue of conditions: public knowledge, readable by anyone. */
@injectable()
export class Disorders {
  constructor(@inject(MentalHealthStoreKey) private readonly store: MentalHealthStore) {}

  async list(op: OperationContext, type: DisorderType | null, first?: number | null, after?: string | null): Promise<Connection<Disorder>> {
    const size = pageSize(first);
    const cursor = DISORDER_CURSOR.decode(after);
    const { disorders } = this.store.read(op);
    const rows = await disorders.list(type, size + 1, cursor?.name ?? null);
    return toConnection(rows, size, (d) => DISORDER_CURSOR.encode(d), () => disorders.count(type));
  }

  async get(op: OperationContext, id: string): Promise<Disorder | null> {
    return isUuid(id) ? this.store.read(op).disorders.findById(id) : null;
  }

  /** Ranked: name above symptoms above description; prefixes match; a typo is forgiven. */
  async search(op: OperationContext, query: string, limit: number): Promise<Disorder[]> {
    const text = query.trim();
    if (!text) throw new InvalidInputError('query must not be empty', { field: 'query' });
    if (text.length > MAX_QUERY_LENGTH) throw new InvalidInputError(`query must be at most ${MAX_QUERY_LENGTH} characters`, { field: 'query' });
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidInputError('limit must be a positive integer', { field: 'limit' });
    return this.store.read(op).disorders.search(text, Math.min(limit, MAX_SEARCH_RESULTS));
  }
}
