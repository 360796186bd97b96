import { Utils, TransactionPropagation, type EntityName, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { inject, injectable } from 'inversify';
import type { AccessAudit } from '../contracts/access-audit';
import { PLATFORM } from './container';
import { ConflictError, InvalidInputError } from './errors';
import type { EventBus } from './events';
import type { ChangeRecorders, Store, StoreOperation } from './store-port';
import { directRows } from './direct-sql';
import { parseInstant } from './instants';

/** What a module says about itself to its store. */
export interface StoreOptions {
  /** The module's PostgreSQL schema: with `platform`, the only one its repositories may reach. */
  schema: string;
  /** The CONFLICT message (and details) for a unique or exclusion constraint, by constraint name. */
  conflicts?: Record<string, { message: string; details?: Record<string, unknown> }>;
}

/** Raised when a module's repository reaches past its own schema: a programming error, masked as internal. */
export class SchemaDoorError extends Error {}

/** The CONFLICT message for a unique or exclusion violation the module gave no message for. */
export const DEFAULT_CONFLICT = 'This conflicts with data that already exists';
export const DEFAULT_INVALID_VALUE = 'A value in the request is not valid';

/**
 * The one mapping of database errors to typed errors: unique (23505) and exclusion (23P01)
 * violations are CONFLICT, a failed check (23514) or a data exception (class 22) BAD_USER_INPUT;
 * anything else is returned unchanged (internal and masked, or an outage the transports report).
 * Duck-typed on the SQLSTATE: MikroORM's DriverException and a raw driver error both carry it.
 */
export function typedDatabaseError(error: unknown, conflicts: StoreOptions['conflicts'] = {}): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (typeof code !== 'string') return error;
  if (code === '23505' || code === '23P01') {
    const known = typeof constraint === 'string' ? conflicts[constraint] : undefined;
    return new ConflictError(known?.message ?? DEFAULT_CONFLICT, known?.details);
  }
  if (code === '23514' || /^22[0-9A-Z]{3}$/.test(code)) return new InvalidInputError(DEFAULT_INVALID_VALUE);
  return error;
}

export type SortDirection = 'asc' | 'desc';

/**
 * The one keyset predicate: rows after the cursor's (key, id) in `order by key, id`, i.e.
 * `key > x or (key = x and id > y)` (`<` when descending), with that order. No cursor: the first page.
 */
export function keyset<T extends { id: string }, K extends keyof T & string>(
  key: K,
  direction: SortDirection,
  after: ({ [P in K]: T[P] } & { id: string }) | null,
): { where: FilterQuery<T>; orderBy: QueryOrderMap<T> } {
  const beyond = direction === 'asc' ? '$gt' : '$lt';
  const where = after ? { $or: [{ [key]: { [beyond]: after[key] } }, { [key]: after[key], id: { [beyond]: after.id } }] } : {};
  return { where: where as FilterQuery<T>, orderBy: { [key]: direction, id: direction } as QueryOrderMap<T> };
}

/** EntityManager methods whose first argument names an entity: checked against the schema before they run. */
const BY_ENTITY_NAME = new Set([
  'find', 'findOne', 'findOneOrFail', 'findAll', 'findAndCount', 'findByCursor', 'count', 'create', 'upsert', 'upsertMany',
  'getReference', 'createQueryBuilder', 'qb', 'nativeInsert', 'nativeUpdate', 'nativeDelete', 'insert', 'insertMany',
  'getRepository', 'map', 'merge',
]);
/** Methods taking entities (or arrays of them): checked by the entity's own metadata. */
const BY_ENTITY = new Set(['persist', 'remove', 'assign', 'refresh', 'lock', 'populate']);
/** Methods that reach no table by themselves. */
const HARMLESS = new Set(['flush', 'isInTransaction', 'getTransactionContext', 'clear']);
/** What the door gives raw SQL to: one statement, checked for other modules' schemas. */
const RAW = 'execute';
/** Methods that return a promise: a refusal is a rejection, as their own failures are (never a throw inside Promise.all). */
const ASYNC = new Set([
  'find', 'findOne', 'findOneOrFail', 'findAll', 'findAndCount', 'findByCursor', 'count', 'upsert', 'upsertMany', 'nativeInsert',
  'nativeUpdate', 'nativeDelete', 'insert', 'insertMany', 'refresh', 'lock', 'populate', 'flush', 'execute',
]);

/** How many checked SQL texts are remembered (repositories use a few dozen fixed statements). */
const SQL_CHECKS_KEPT = 2000;
/** A schema-qualified name as PostgreSQL reads it: `billing.invoice`, `"billing"."invoice"`, `billing . "invoice"`. */
const QUALIFIED = /(?:"([^"]+)"|\b([a-z_][a-z0-9_$]*))\s*\.\s*(?:"[^"]+"|[a-z_][a-z0-9_$]*)/gi;

/**
 * The door to a module's own PostgreSQL schema. Repositories get the EntityManager through this
 * proxy, which refuses (SchemaDoorError) an entity whose metadata lives in another module's schema
 * and raw SQL naming another module's schema; anything that is not a query the door understands
 * (getConnection, getKnex, fork, transactional...) is refused too, so there is no way around it.
 * Why this and not PostgreSQL roles: a role would need SET ROLE on every read (an extra statement
 * per request, and pooled connections to reset), and PGlite has no real roles to enforce it; the
 * door costs a map lookup per call and one regex per distinct SQL text, on PGlite and PostgreSQL.
 * Limits: raw fragments inside a query builder (`raw(...)`) are not read; the check is against
 * programming mistakes and module drift, not against hostile code in the process.
 */
export class SchemaDoor {
  private readonly allowed: Set<string>;
  private readonly sqlChecked = new Map<string, string | null>();
  /** Entity names (classes, schemas, strings) already found in an allowed schema: the metadata does not change. */
  private readonly entitiesAllowed = new Set<unknown>();

  constructor(
    private readonly schema: string,
    private readonly conflicts: StoreOptions['conflicts'] = {},
  ) {
    this.allowed = new Set([schema, 'platform']);
  }

  /**
   * `em` as the module's repositories see it. Each method's wrapper is made once per guarded em
   * (an operation's), and an entity that passed the check is not looked up again: the door costs
   * a map lookup per call, not a closure and a metadata search.
   */
  guard(em: EntityManager): EntityManager {
    const wrappers = new Map<string, unknown>();
    return new Proxy(em, {
      get: (target, property) => {
        if (typeof property !== 'string') return Reflect.get(target, property) as unknown;
        const known = wrappers.get(property);
        if (known !== undefined) return known;
        const value = Reflect.get(target, property) as unknown;
        if (typeof value !== 'function') return value;
        const wrapper = this.wrap(target, property, value as (...args: unknown[]) => unknown);
        wrappers.set(property, wrapper);
        return wrapper;
      },
    });
  }

  private wrap(target: EntityManager, property: string, method: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
    if (BY_ENTITY_NAME.has(property)) return (...args) => this.run(target, method, args, () => this.checkEntityName(target, args[0], property), property);
    if (BY_ENTITY.has(property)) return (...args) => this.run(target, method, args, () => this.checkEntities(target, args[0], property), property);
    if (property === RAW) return (...args) => this.run(target, method, args, () => this.checkSql(target, args[0]), property);
    if (HARMLESS.has(property)) return (...args) => this.run(target, method, args, () => undefined, property);
    return () => {
      throw new SchemaDoorError(`${this.schema} store: em.${property} is not available through the store (it could reach another module's tables)`);
    };
  }

  /**
   * Plain rows, selected columns, no identity map or hydration; SQL checked like any other. Both
   * go straight to a pooled connection (directRows), outside a transaction.
   */
  lean(em: EntityManager, guarded: EntityManager = this.guard(em)): LeanReads {
    const reads: LeanReads = {
      rows: async <T>(sql: string, params: unknown[] = [], instants: readonly string[] = []) => {
        this.checkSql(em, sql);
        const rows = await this.mapped(directRows<T>(em, sql, params));
        if (instants.length > 0) {
          const platform = em.getPlatform();
          const otherwise = (text: string) => platform.parseDate(text);
          for (const row of rows as Array<Record<string, unknown>>) {
            for (const key of instants) if (row[key] != null) row[key] = parseInstant(row[key] as string, otherwise);
          }
        }
        return rows;
      },
      page: async <T>(query: PageQuery) => {
        const { columns, from, where, after, orderBy, limit, withTotal } = query;
        // One count statement: inside the page's when asked for, on its own when the page could not bring it.
        const counting = `select count(*)::int as n from ${from} where ${where.sql}`;
        const rows = await reads.rows<T & { [PAGE_TOTAL]?: number }>(
          `select ${columns}${withTotal ? `, (${counting}) as "${PAGE_TOTAL}"` : ''} from ${from} where (${where.sql})${after ? ` and ${after.sql}` : ''} order by ${orderBy} limit ?`,
          [...(withTotal ? where.params : []), ...where.params, ...(after?.params ?? []), limit],
          query.instants,
        );
        // An empty first page means nothing matches; an empty later page says nothing of the rows before it.
        const known = !withTotal ? null : rows.length > 0 ? rows[0][PAGE_TOTAL]! : after ? null : 0;
        const total = () => known ?? reads.rows<{ n: number }>(counting, where.params).then(([row]) => row.n);
        return { rows, total };
      },
      select: async <T extends object, F extends keyof T & string>(
        entity: EntityName<T>,
        fields: readonly F[],
        where: FilterQuery<T>,
        options: { orderBy?: QueryOrderMap<T>; limit?: number } = {},
      ) => {
        const qb = guarded.createQueryBuilder(entity).select([...fields]).where(where);
        if (options.orderBy) qb.orderBy(options.orderBy);
        if (options.limit !== undefined) qb.limit(options.limit);
        // knex's form (`?` placeholders) and its values, as the ORM itself sends them.
        const { sql, bindings } = qb.toQuery()._sql;
        const rows = await this.mapped(directRows<Record<string, unknown>>(em, sql, bindings ?? []));
        // Column names become property names (the ORM's own mapping); no entity is built.
        const meta = em.getMetadata().get(Utils.className(entity));
        const driver = em.getDriver();
        return rows.map((row) => driver.mapResult(row as never, meta as never)) as unknown as Array<Pick<T, F>>;
      },
    };
    return reads;
  }

  /** Maps a database error the way every module's store does. */
  mapped<T>(promise: Promise<T>): Promise<T> {
    return promise.catch((error: unknown) => {
      throw typedDatabaseError(error, this.conflicts);
    });
  }

  private run(target: EntityManager, method: (...args: unknown[]) => unknown, args: unknown[], check: () => void, name: string): unknown {
    try {
      check();
    } catch (refusal) {
      if (ASYNC.has(name)) return Promise.reject(refusal);
      throw refusal;
    }
    const result = method.apply(target, args);
    return result instanceof Promise ? this.mapped(result) : result;
  }

  private refuse(what: string, schema: string | undefined): never {
    throw new SchemaDoorError(
      `${this.schema} store: ${what} is in schema "${schema ?? 'public'}"; a module reaches only its own schema (${this.schema}) and platform`,
    );
  }

  private checkEntityName(em: EntityManager, entity: unknown, method: string): void {
    if (entity === undefined) throw new SchemaDoorError(`${this.schema} store: em.${method} without an entity`);
    if (this.entitiesAllowed.has(entity)) return;
    const name = Utils.className(entity as EntityName<object>);
    const meta = em.getMetadata().find(name);
    if (!meta || !this.allowed.has(meta.schema ?? 'public')) this.refuse(`entity ${name}`, meta?.schema);
    this.entitiesAllowed.add(entity);
  }

  private checkEntities(em: EntityManager, entities: unknown, method: string): void {
    for (const entity of Array.isArray(entities) ? entities : [entities]) {
      if (typeof entity !== 'object' || entity === null) throw new SchemaDoorError(`${this.schema} store: em.${method} without an entity`);
      const meta = (entity as { __meta?: { className: string; schema?: string } }).__meta ?? em.getMetadata().find(entity.constructor.name);
      if (!meta || !this.allowed.has(meta.schema ?? 'public')) this.refuse(`entity ${meta?.className ?? entity.constructor.name}`, meta?.schema);
    }
  }

  private checkSql(em: EntityManager, sql: unknown): void {
    if (typeof sql !== 'string') throw new SchemaDoorError(`${this.schema} store: em.execute takes SQL text only`);
    let foreign = this.sqlChecked.get(sql);
    if (foreign === undefined) {
      foreign = this.foreignSchemaIn(em, sql);
      if (this.sqlChecked.size >= SQL_CHECKS_KEPT) this.sqlChecked.clear();
      this.sqlChecked.set(sql, foreign);
    }
    if (foreign !== null) this.refuse('SQL naming a table', foreign);
  }

  /** The first schema of another module the SQL names, or null. Other modules' schemas are known from the metadata. */
  private foreignSchemaIn(em: EntityManager, sql: string): string | null {
    const schemas = new Set(Object.values(em.getMetadata().getAll()).map((meta) => meta.schema ?? 'public'));
    schemas.add('public');
    for (const match of sql.matchAll(QUALIFIED)) {
      const qualifier = match[1] ?? match[2].toLowerCase();
      if (schemas.has(qualifier) && !this.allowed.has(qualifier)) return qualifier;
    }
    return null;
  }
}

/** A piece of SQL with its `?` values. */
export interface SqlPart {
  sql: string;
  params: unknown[];
}

/** The column of a page's rows that carries the count of every row its filter matches (`withTotal`). */
export const PAGE_TOTAL = 'aura_page_total';

/** A keyset page of one table, for LeanReads.page. */
export interface PageQuery {
  /** The select list of the page's rows. */
  columns: string;
  /** The table. */
  from: string;
  /** The list's filter, the viewer's scope included: what the total counts. */
  where: SqlPart;
  /** The keyset condition after the last row seen (joined to the filter with `and`); null on the first page. */
  after: SqlPart | null;
  orderBy: string;
  limit: number;
  /** Count the rows the filter matches in the same statement (a client selected totalCount). */
  withTotal: boolean;
  /** Result columns to parse into Dates, as for `rows`. */
  instants?: readonly string[];
}

export interface LeanReads {
  /**
   * Rows of one SQL statement as the driver returns them (column names). The ORM's connections
   * give timestamptz as text (it parses them itself): `instants` names the result columns to
   * parse into Dates, as the ORM would.
   */
  rows<T>(sql: string, params?: unknown[], instants?: readonly string[]): Promise<T[]>;
  /**
   * A keyset page, and `total`: how many rows the filter matches across all pages (a connection's
   * totalCount). With `withTotal` the page's statement counts them too, an uncorrelated subquery
   * PostgreSQL runs once, so page and total are read in one snapshot and one round trip; each row
   * also carries that count (column PAGE_TOTAL), and an empty first page means 0. Without it, or
   * when a later page (after a cursor) came back empty, `total()` counts in a statement of its own.
   */
  page<T>(query: PageQuery): Promise<{ rows: T[]; total: () => number | Promise<number> }>;
  /**
   * Selected properties of an entity's rows, as plain objects under property names, values as the
   * driver returns them: custom types (e.g. EncryptedText) are not converted, so read those through entities.
   */
  select<T extends object, F extends keyof T & string>(
    entity: EntityName<T>,
    fields: readonly F[],
    where: FilterQuery<T>,
    options?: { orderBy?: QueryOrderMap<T>; limit?: number },
  ): Promise<Array<Pick<T, F>>>;
}

/** What a module's repositories are built on: its schema's door to the EntityManager, and lean reads. */
export interface StoreAccess {
  em: EntityManager;
  lean: LeanReads;
}

/**
 * The base every module's store extends: one place that opens the transaction, records the
 * change's events (outbox) and access records with it, maps database errors to typed errors,
 * gives lean reads, and lets repositories reach the module's own schema only. A module says its
 * schema and constraint messages (`options`) and builds its repositories (`repositoriesOn`).
 */
@injectable()
export abstract class ModuleStore<R> implements Store<R> {
  protected abstract readonly options: StoreOptions;
  private doorOfStore?: SchemaDoor;
  /** One set of read repositories per EntityManager (an operation, or a subscription event). */
  private readonly reads = new WeakMap<EntityManager, R>();
  private readonly accesses = new WeakMap<EntityManager, StoreAccess>();

  constructor(
    @inject(PLATFORM.Events) private readonly bus: EventBus,
    @inject(PLATFORM.AccessAudit) private readonly audit: AccessAudit,
  ) {}

  /** Builds the module's repositories on `access`; the em there is the door, never the raw one. */
  protected abstract repositoriesOn(access: StoreAccess): R;

  read(op: StoreOperation): R {
    let repositories = this.reads.get(op.em);
    if (!repositories) {
      repositories = this.on(op.em);
      this.reads.set(op.em, repositories);
    }
    return repositories;
  }

  /** Lean reads outside a transaction: plain rows for hot lists (no identity map, no hydration). */
  lean(op: StoreOperation): LeanReads {
    return this.accessTo(op.em).lean;
  }

  async transaction<T>(op: StoreOperation, work: (repositories: R & ChangeRecorders) => Promise<T>): Promise<T> {
    const joined = op.em.isInTransaction();
    try {
      // REQUIRED: an event handler's work joins the transaction that acknowledges its delivery.
      return await op.em.transactional(
        async (tx) => {
          const em = tx as EntityManager;
          const result = await work({ ...this.on(em), events: this.bus.recorder(em), audit: this.audit.recorder(em, op) });
          if (joined) await em.flush();
          return result;
        },
        { propagation: TransactionPropagation.REQUIRED },
      );
    } catch (error) {
      throw typedDatabaseError(error, this.options.conflicts);
    }
  }

  private on(em: EntityManager): R {
    return this.repositoriesOn(this.accessTo(em));
  }

  /** The door and lean reads on one EntityManager, made once for it. */
  private accessTo(em: EntityManager): StoreAccess {
    let access = this.accesses.get(em);
    if (!access) {
      const guarded = this.door.guard(em);
      access = { em: guarded, lean: this.door.lean(em, guarded) };
      this.accesses.set(em, access);
    }
    return access;
  }

  private get door(): SchemaDoor {
    this.doorOfStore ??= new SchemaDoor(this.options.schema, this.options.conflicts);
    return this.doorOfStore;
  }
}

/**
 * Detached, read-only objects of an entity class from plain values (a read-side row, an event's
 * snapshot): they answer the class's domain methods, but their properties are plain. The ORM puts
 * change-tracking accessors on the entity's prototype, and each property set through one builds the
 * ORM's entity helper for that object, which on a page of rows cost more than reading it. The views'
 * prototype inherits the class's and shadows those accessors with plain data properties.
 */
export function detachedViews<T extends object>(entity: { prototype: T }, properties: readonly string[]): (values: Partial<T>) => T {
  const shadows = Object.fromEntries(properties.map((name) => [name, { value: undefined, writable: true, enumerable: false, configurable: true }]));
  const prototype = Object.create(entity.prototype, shadows) as T;
  const unfit = properties.find((name) => !/^[A-Za-z_$][\w$]*$/.test(name));
  if (unfit !== undefined) throw new Error(`detachedViews: "${unfit}" is not a property name`);
  // A constructor that sets each property in one order: V8 gives its objects one shape with room for
  // every property. Object.assign onto an object of this prototype went property by property, looking
  // each up the prototype chain (about 35 times slower, and a growing backing store per object).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const View = new Function('values', properties.map((name) => `this.${name} = values.${name};`).join('\n')) as unknown as new (values: Partial<T>) => T;
  View.prototype = prototype;
  return (values) => new View(values);
}

/** A select list of an entity's properties, each column (the ORM's underscore naming) under its property's name: lean rows read as views. */
export function selectList(properties: readonly string[]): string {
  return properties.map((property) => `${property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} as "${property}"`).join(', ');
}
