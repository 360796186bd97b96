import { getOperationAST, Kind, type ExecutionArgs, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { Viewer } from './auth';
import type { OperationContext } from './context';
import { REPLAYED, REPLAYED_AFTER } from './live-events';

/**
 * Who sees the same thing in a live event (ARCHITECTURE rule 6): every admin sees the same
 * (everything, no notes), every analyst the same (de-identified), and a therapist or a patient
 * what concerns them alone. Subscribers of one class, one document and the same variables get one
 * result per event.
 */
export function visibilityClass(viewer: Viewer): string {
  return viewer.role === 'ADMIN' || viewer.role === 'ANALYST' ? viewer.role : `${viewer.role}:${viewer.userId}`;
}

/** The resume argument: it is the subscriber's own (a replay from its cursor), never part of a group's key. */
export const RESUME_ARGUMENT = 'after';

/** How a transport wraps a group's serialized result in its own message for one subscription (its id, or '' where it has none). */
export type LiveMessage = (key: string, json: string) => Buffer;

/** At most this many wrapped messages are kept per payload (most clients number their subscriptions alike). */
const MAX_WRAPPED = 100;

/**
 * One executed event as a group writes it: the serialized ExecutionResult, and each transport's
 * message around it built once per subscription id, so writing to a member is one `send` of a
 * prebuilt Buffer.
 */
export class LivePayload {
  private readonly wrapped = new Map<LiveMessage, Map<string, Buffer>>();

  constructor(readonly json: string) {}

  message(wrap: LiveMessage, key: string): Buffer {
    let messages = this.wrapped.get(wrap);
    if (!messages) this.wrapped.set(wrap, (messages = new Map()));
    let message = messages.get(key);
    if (!message) {
      message = wrap(key, this.json);
      if (messages.size < MAX_WRAPPED) messages.set(key, message);
    }
    return message;
  }
}

/** One subscriber of a group, on whatever transport: it is written the group's serialized `next` payload. */
export interface LiveMember {
  readonly viewer: Viewer;
  readonly requestId: string;
  /** Writes one serialized ExecutionResult (the transport wraps it in its own message, with the subscription's id). */
  write(payload: LivePayload): void;
  /** The result written had errors (the operation's outcome for the request log and metrics). */
  failed?(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }>): void;
}

/** Members written before the group yields to the event loop (an answer, a new subscriber, the next event's I/O go between slices). */
export const WRITE_SLICE = 500;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Each person once (several subscriptions of one person saw the same thing). */
function distinctViewers(streams: readonly MemberStream[]): Viewer[] {
  const viewers = new Map<string, Viewer>();
  for (const { member } of streams) if (!viewers.has(member.viewer.userId)) viewers.set(member.viewer.userId, member.viewer);
  return [...viewers.values()];
}

export interface LiveGroupsOptions {
  /**
   * The subscription's source events (graphql-js `createSourceEventStream`): run once per group,
   * and once per resuming subscriber for its replay.
   */
  sourceStream(args: ExecutionArgs): Promise<AsyncIterable<unknown> | ExecutionResult>;
  /** One source event executed (graphql-js runs the operation with the event as its root value). */
  execute(args: ExecutionArgs, event: unknown): Promise<ExecutionResult>;
  /** The operation context of a group (for a representative member of its class), or of one member's replay. */
  contextFor(representative: LiveMember): OperationContext;
  /**
   * What the group's members get for one executed event: the access records of the people it is
   * shown to written (one insert for the group, each person once) and errors formatted, or an
   * error result instead.
   */
  prepare(context: OperationContext, result: ExecutionResult, viewers: readonly Viewer[]): Promise<ExecutionResult>;
}

/** What the transport iterates for one grouped subscriber: it yields nothing (the group writes), it ends when the group or the subscriber does. */
class MemberStream implements AsyncGenerator<ExecutionResult, undefined> {
  private waiting?: { resolve(result: IteratorResult<ExecutionResult, undefined>): void; reject(error: unknown): void };
  ended = false;
  /** While a resuming member replays what it missed: the group's events for it, written after the replay unless replayed. */
  pending?: Array<{ seq: string | undefined; payload: LivePayload; errors: ExecutionResult['errors'] }>;
  /** A resuming member's replayed events (and its cursor's): the group does not write them to it again. */
  replayed?: Set<string>;

  constructor(
    readonly member: LiveMember,
    private readonly leave: (stream: MemberStream) => void,
  ) {}

  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (this.ended) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  /** The subscriber is done (complete message, socket closed): it leaves its group at once. */
  return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.leave(this);
    this.end();
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(): Promise<IteratorResult<ExecutionResult, undefined>> {
    return this.return();
  }

  /** The group ended: normally (the transport completes the subscription) or with an error (sent as an error). */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    if (error === undefined) waiting?.resolve({ done: true, value: undefined });
    else waiting?.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }
}

interface Group {
  readonly key: string;
  readonly members: Set<MemberStream>;
  readonly context: OperationContext;
  /** The group's operation, with its context and without the resume argument. */
  readonly args: ExecutionArgs;
  /** Settles once the group's stream runs (undefined) or its subscription was refused (the result). */
  ready: Promise<ExecutionResult | undefined>;
  source?: AsyncIterator<unknown>;
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof (value as AsyncIterable<T>)?.[Symbol.asyncIterator] === 'function';
}

/** The outbox sequence number a live event carries (undefined for anything else). */
function seqOf(event: unknown): string | undefined {
  const seq = (event as { seq?: unknown } | null)?.seq;
  return typeof seq === 'string' ? seq : undefined;
}

/** True when the operation resumes from a cursor: its replay is its own, so it runs alone. */
export function resumes(operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined): boolean {
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    for (const argument of selection.arguments ?? []) {
      if (argument.name.value !== RESUME_ARGUMENT) continue;
      const value = argument.value;
      if (value.kind === Kind.VARIABLE ? variables?.[value.name.value] != null : value.kind !== Kind.NULL) return true;
    }
  }
  return false;
}

/** The variables the operation passes as its resume argument. */
function resumeVariables(operation: OperationDefinitionNode): Set<string> {
  const names = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    for (const argument of selection.arguments ?? []) {
      if (argument.name.value === RESUME_ARGUMENT && argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
    }
  }
  return names;
}

/** Top-level variables in name order, the resume argument's variables left out. */
function groupVariables(operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined = {}): string {
  const resume = resumeVariables(operation);
  const kept = Object.keys(variables ?? {})
    .filter((name) => !resume.has(name))
    .sort()
    .map((name) => [name, variables![name]]);
  return JSON.stringify(kept);
}

/** The operation as its group runs it: the resume argument's variables null (a resuming member replays on its own). */
function withoutResume(args: ExecutionArgs, operation: OperationDefinitionNode): ExecutionArgs {
  if (!args.variableValues) return args;
  const variableValues = { ...args.variableValues };
  for (const name of resumeVariables(operation)) if (name in variableValues) variableValues[name] = null;
  return { ...args, variableValues };
}

/**
 * The live groups of this process: subscribers grouped by (document, variables without `after`,
 * visibility class). Each group subscribes once, executes each event once with one context and
 * one set of loaders, serializes the result once and writes it to every member. What is left per
 * subscriber is the write (its visibility is its class's); an idle subscriber costs a membership,
 * not an EntityManager, loaders and a pubsub listener of its own.
 */
export class LiveGroups {
  private readonly groups = new Map<string, Group>();
  /** Events executed by groups (one per group per event its class may see). */
  executions = 0;
  /** Results written to subscribers. */
  deliveries = 0;

  constructor(private readonly options: LiveGroupsOptions) {}

  /** Groups running now. */
  get size(): number {
    return this.groups.size;
  }

  /** Subscribers in groups now. */
  get members(): number {
    let count = 0;
    for (const group of this.groups.values()) count += group.members.size;
    return count;
  }

  /**
   * The key of the group the subscription belongs to, or undefined when it must run alone (a cursor
   * written in the document, no source text). A subscription resuming with an `after` variable
   * belongs to the group of the same subscription without it: it joins once it has replayed.
   */
  keyOf(args: Pick<ExecutionArgs, 'document' | 'operationName' | 'variableValues'>, viewer: Viewer): string | undefined {
    const source = args.document.loc?.source.body;
    const operation = getOperationAST(args.document, args.operationName);
    if (source === undefined || !operation || operation.operation !== 'subscription') return undefined;
    if (resumes(operation, null)) return undefined;
    return `${visibilityClass(viewer)}\n${args.operationName ?? ''}\n${groupVariables(operation, args.variableValues)}\n${source}`;
  }

  /**
   * Joins the member to its group (starting the group if it is the first). Resolves with what the
   * transport iterates, or the refusal of the subscription (the same for every member of the group,
   * or a resuming member's own: a cursor it may not use). A resuming member first gets, in order,
   * the events it missed (executed for it alone), then the group's events that came meanwhile and
   * were not among them, then the group's as they come.
   */
  async join(key: string, args: ExecutionArgs, member: LiveMember): Promise<AsyncGenerator<ExecutionResult, undefined> | ExecutionResult> {
    const operation = getOperationAST(args.document, args.operationName)!;
    let group = this.groups.get(key);
    if (!group) {
      group = this.start(key, withoutResume(args, operation), member);
      this.groups.set(key, group);
    }
    const stream = new MemberStream(member, (left) => this.leave(group, left));
    const resuming = resumes(operation, args.variableValues);
    // From now on the group keeps its events for a resuming member: the replay below is read after.
    if (resuming) stream.pending = [];
    group.members.add(stream);
    let refused: ExecutionResult | undefined;
    try {
      refused = await group.ready;
      if (!refused && resuming) refused = await this.replay(stream, args);
    } catch (error) {
      stream.return();
      throw error;
    }
    if (refused) {
      stream.return();
      return refused;
    }
    return stream;
  }

  /**
   * Opens the resuming member's own replay (its cursor checked: a refusal is returned) and writes
   * it in the background, then hands the member over to its group.
   */
  private async replay(stream: MemberStream, args: ExecutionArgs): Promise<ExecutionResult | undefined> {
    const context = this.options.contextFor(stream.member);
    const own = { ...args, contextValue: context };
    const source = await this.options.sourceStream(own);
    if (!isAsyncIterable(source)) return source;
    const missed = (source as { [REPLAYED]?: number })[REPLAYED] ?? 0;
    const afterSeq = (source as { [REPLAYED_AFTER]?: string })[REPLAYED_AFTER];
    // After the transport has taken the stream (an SSE response writes its head first).
    setImmediate(() => void this.writeReplay(stream, own, context, source[Symbol.asyncIterator](), missed, afterSeq));
    return undefined;
  }

  private async writeReplay(stream: MemberStream, args: ExecutionArgs, context: OperationContext, replay: AsyncIterator<unknown>, missed: number, afterSeq: string | undefined): Promise<void> {
    const { member } = stream;
    const replayed = new Set<string>(afterSeq ? [afterSeq] : []);
    stream.replayed = replayed;
    try {
      for (let i = 0; i < missed && !stream.ended; i++) {
        const next = await replay.next();
        if (next.done) break;
        const seq = seqOf(next.value);
        if (seq) replayed.add(seq);
        const prepared = await this.options.prepare(context, await this.options.execute(args, next.value), [member.viewer]);
        if (stream.ended) break;
        member.write(new LivePayload(JSON.stringify(prepared)));
        if (prepared.errors?.length) member.failed?.(prepared.errors);
        this.deliveries++;
      }
    } catch (error) {
      stream.end(error); // the transport sends the error
      void stream.return(); // and it leaves its group
    } finally {
      void replay.return?.(undefined); // its own live part: the group has those
    }
    // The hand-over: what the group kept for it, less what the replay sent; then the group writes to it.
    const pending = stream.pending ?? [];
    stream.pending = undefined;
    if (stream.ended) return;
    for (const { seq, payload, errors } of pending) {
      if (seq !== undefined && replayed.has(seq)) continue;
      member.write(payload);
      if (errors?.length) member.failed?.(errors);
      this.deliveries++;
    }
  }

  private start(key: string, args: ExecutionArgs, representative: LiveMember): Group {
    const context = this.options.contextFor(representative);
    const group: Group = { key, members: new Set(), context, args: { ...args, contextValue: context }, ready: Promise.resolve(undefined) };
    group.ready = (async () => {
      try {
        const result = await this.options.sourceStream(group.args);
        if (!isAsyncIterable(result)) {
          this.forget(group);
          return result;
        }
        const source = result[Symbol.asyncIterator]();
        group.source = source;
        // The stream listens from its first pull: the pump pulls at once.
        void this.pump(group, source);
        return undefined;
      } catch (error) {
        this.forget(group);
        throw error;
      }
    })();
    return group;
  }

  private async pump(group: Group, source: AsyncIterator<unknown>): Promise<void> {
    let failure: unknown;
    try {
      // Members who left before the stream ran.
      if (group.members.size === 0) await source.return?.(undefined);
      for (let next = await source.next(); !next.done; next = await source.next()) {
        this.executions++;
        if (group.members.size === 0) continue;
        const result = await this.options.execute(group.args, next.value);
        const streams = [...group.members];
        const prepared = await this.options.prepare(group.context, result, distinctViewers(streams));
        const payload = new LivePayload(JSON.stringify(prepared));
        const seq = seqOf(next.value);
        const errors = prepared.errors?.length ? prepared.errors : undefined;
        for (let i = 0; i < streams.length; i++) {
          if (i > 0 && i % WRITE_SLICE === 0) await nextTurn();
          const stream = streams[i];
          if (!group.members.has(stream)) continue; // left while the event was prepared or written
          if (stream.pending) {
            stream.pending.push({ seq, payload, errors });
            continue;
          }
          if (seq !== undefined && stream.replayed?.has(seq)) continue; // it had this one from its replay
          stream.member.write(payload);
          if (errors) stream.member.failed?.(errors);
          this.deliveries++;
        }
      }
    } catch (error) {
      failure = error;
    } finally {
      this.forget(group);
      for (const stream of group.members) stream.end(failure);
      group.members.clear();
    }
  }

  private leave(group: Group, stream: MemberStream): void {
    if (!group.members.delete(stream) || group.members.size > 0) return;
    // The last member left: the group stops listening now; a new subscriber starts a new group.
    this.forget(group);
    void group.source?.return?.(undefined);
  }

  private forget(group: Group): void {
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
  }
}
