import { InvalidInputError } from './errors';
import { isUuid } from './ids';
import { isSupportedInstant } from './instants';
import { hasControlCharacter } from './text-input';

/**
 * Keyset paging, framework-free: the cursor codec, page size and the plain Relay connection shapes
 * that use cases return. The GraphQL object types of a connection live in gateway/connection.ts.
 */

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/**
 * A Relay connection; totalCount is a getter, so a count runs only when a client asks for it (and
 * none runs when the page's own statement brought it).
 */
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  readonly totalCount: number | Promise<number>;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `first` defaults to 20 and is capped at 100 (API.md); a negative one is an input error. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0) throw new InvalidInputError('first must be a non-negative integer');
  return Math.min(first, MAX_PAGE_SIZE);
}

/** What a keyset cursor may hold, each checked when the cursor comes back: no garbage reaches SQL. */
export type CursorPart = 'instant' | 'uuid' | 'text' | 'sequence';
type CursorShape = Record<string, CursorPart>;
export type CursorValues<S extends CursorShape> = { [K in keyof S]: S[K] extends 'instant' ? Date : string };

/** A bigint sequence number (outbox seq): digits only, well inside bigint. */
const SEQUENCE = /^[0-9]{1,18}$/;
/** Longest text a cursor carries (a sort key such as a name). */
const MAX_CURSOR_TEXT = 500;

function partOf(kind: CursorPart, raw: unknown): Date | string | undefined {
  if (typeof raw !== 'string') return undefined;
  switch (kind) {
    case 'instant': {
      const date = new Date(raw);
      return isSupportedInstant(date) ? date : undefined;
    }
    case 'uuid':
      return isUuid(raw) ? raw : undefined;
    case 'sequence':
      return SEQUENCE.test(raw) ? raw : undefined;
    case 'text':
      return raw.length <= MAX_CURSOR_TEXT && !hasControlCharacter(raw) ? raw : undefined;
  }
}

/** What every connection answers to an `after` it did not hand out: one message, BAD_USER_INPUT. */
export const NOT_A_CURSOR = 'after is not a cursor returned by this connection';

/**
 * The one cursor codec every connection uses: `list` names the connection (a cursor of one list is
 * refused by another), `shape` the sort values of the last row seen and their kinds, in sort
 * order. A cursor that does not decode to exactly that list and shape is BAD_USER_INPUT.
 */
export interface CursorCodec<S extends CursorShape> {
  encode(values: CursorValues<S>): string;
  /** null when there is no cursor (the first page). */
  decode(after: string | null | undefined): CursorValues<S> | null;
}

export function cursorCodec<const S extends CursorShape>(list: string, shape: S): CursorCodec<S> {
  const keys = Object.keys(shape) as Array<keyof S & string>;
  return {
    encode(values) {
      const parts = keys.map((key) => {
        const value = values[key] as Date | string;
        return value instanceof Date ? value.toISOString() : value;
      });
      return Buffer.from(JSON.stringify([list, ...parts]), 'utf8').toString('base64url');
    },
    decode(after) {
      if (after === null || after === undefined) return null;
      let parts: unknown;
      try {
        parts = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
      } catch {
        parts = undefined;
      }
      if (Array.isArray(parts) && parts.length === keys.length + 1 && parts[0] === list) {
        const values: Record<string, Date | string> = {};
        for (const [index, key] of keys.entries()) {
          const value = partOf(shape[key], parts[index + 1]);
          if (value === undefined) break;
          values[key] = value;
        }
        if (Object.keys(values).length === keys.length) return values as CursorValues<S>;
      }
      throw new InvalidInputError(NOT_A_CURSOR, { field: 'after' });
    },
  };
}

/** An edge whose cursor is encoded only when a client selects it; one class, so no getter and closure per edge. */
class LazyEdge<T> {
  readonly #cursorOf: (row: T) => string;

  constructor(
    readonly node: T,
    cursorOf: (row: T) => string,
  ) {
    this.#cursorOf = cursorOf;
  }

  get cursor(): string {
    return this.#cursorOf(this.node);
  }
}

/**
 * Builds a page from `rows` fetched with limit first + 1. Cursors are encoded when a client selects
 * them (a dashboard reading nodes only encodes none).
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => string,
  totalCount: () => number | Promise<number>,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => new LazyEdge(node, cursorOf));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      get endCursor() {
        return page.length ? cursorOf(page[page.length - 1]) : null;
      },
    },
    get totalCount() {
      return totalCount();
    },
  };
}
