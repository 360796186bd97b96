/**
 * Pure ordering rules of the outbox (unit-tested): which of a set of claimed deliveries may run now
 * without overtaking an earlier event of the same aggregate for the same subscriber.
 */

/** Compares two outbox sequence numbers (bigint as text) numerically. */
export function compareSeq(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The items that may go now, in sequence order: per group (a subscriber and an aggregate), the
 * leading run of ready items (a group: the aggregate, within one subscriber's deliveries). An item that is not ready holds back every later item of its group.
 */
export function leadingRuns<T>(items: readonly T[], seq: (item: T) => string, group: (item: T) => string, ready: (item: T) => boolean): T[] {
  const held = new Set<string>();
  const runs: T[] = [];
  for (const item of [...items].sort((a, b) => compareSeq(seq(a), seq(b)))) {
    const key = group(item);
    if (held.has(key)) continue;
    if (ready(item)) runs.push(item);
    else held.add(key);
  }
  return runs;
}

/**
 * The assignment that marks deliveries done. The stamp is the statement's (taken after everything
 * it marks was delivered, the same for all of them), so for live events the stamp and then the
 * sequence number give the order they were published: where a resuming subscriber stands
 * (EventLog.missed).
 */
export const MARK_DELIVERED = `status = 'DELIVERED', attempts = attempts + 1, delivered_at = statement_timestamp(), last_error = null`;

/** A bounded memory of recently seen ids: the first sighting of an id is true, a repeat false. */
export class RecentIds {
  private readonly seen = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  firstSighting(id: string): boolean {
    if (this.seen.has(id)) return false;
    this.seen.add(id);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.values().next().value as string);
    return true;
  }
}
