import { compareSeq, leadingRuns, RecentIds } from '../../src/platform/delivery-order';

interface Row {
  seq: string;
  subscriber: string;
  aggregate: string;
  ready: boolean;
}
const row = (seq: string, subscriber: string, aggregate: string, ready = true): Row => ({ seq, subscriber, aggregate, ready });
const runs = (rows: Row[]) =>
  leadingRuns(rows, (r) => r.seq, (r) => JSON.stringify([r.subscriber, r.aggregate]), (r) => r.ready).map((r) => r.seq);

describe('outbox delivery order', () => {
  it('compares sequence numbers as numbers, beyond the safe integer range too', () => {
    expect(compareSeq('9', '10')).toBeLessThan(0);
    expect(compareSeq('10', '9')).toBeGreaterThan(0);
    expect(compareSeq('9007199254740993', '9007199254740992')).toBeGreaterThan(0);
    expect(compareSeq('42', '42')).toBe(0);
  });

  it('returns every ready delivery in sequence order, whatever order they came in', () => {
    expect(runs([row('10', 's', 'a'), row('2', 's', 'b'), row('9', 's', 'a')])).toEqual(['2', '9', '10']);
  });

  it('holds back the later deliveries of an aggregate behind one that is not ready, and only those', () => {
    const rows = [row('1', 's', 'a'), row('2', 's', 'a', false), row('3', 's', 'a'), row('4', 's', 'b'), row('5', 't', 'a')];
    expect(runs(rows)).toEqual(['1', '4', '5']);
  });

});

describe('recent event ids (dropping a repeated live event)', () => {
  it('passes the first sighting of an id and drops a repeat', () => {
    const recent = new RecentIds();
    expect(recent.firstSighting('e1')).toBe(true);
    expect(recent.firstSighting('e2')).toBe(true);
    expect(recent.firstSighting('e1')).toBe(false);
  });

  it('remembers a bounded number of ids, forgetting the oldest first', () => {
    const recent = new RecentIds(2);
    recent.firstSighting('e1');
    recent.firstSighting('e2');
    recent.firstSighting('e3'); // forgets e1
    expect(recent.firstSighting('e3')).toBe(false);
    expect(recent.firstSighting('e1')).toBe(true);
  });
});
