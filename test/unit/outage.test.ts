import pino from 'pino';
import { OutageLog } from '../../src/platform/outage';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('outage log', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reports an outage once when it starts, once a minute while it lasts, and once when it ends; no stack, no message', () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const { log, lines } = capturingLogger();
    const outage = new OutageLog(log, 'Redis (publishing)', 'live events wait');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379 select * from notes where text = secret'), { code: 'ECONNREFUSED' });

    for (let i = 0; i < 120; i++) {
      outage.failed(refused); // a reconnect attempt every half second for a minute
      now += 500;
    }
    outage.failed(refused);
    now += 1000;
    outage.restored();
    outage.restored();

    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [40, 'Redis (publishing) unreachable: live events wait'],
      [40, 'Redis (publishing) still unreachable'],
      [30, 'Redis (publishing) reachable again'],
    ]);
    expect(lines[0].reason).toEqual({ name: 'Error', code: 'ECONNREFUSED' });
    expect(lines[1]).toMatchObject({ failures: 120, downForSeconds: 60 });
    expect(lines[2]).toMatchObject({ downForSeconds: 61 });
    expect(JSON.stringify(lines)).not.toMatch(/secret|stack|127\.0\.0\.1/);
    expect(outage.down).toBe(false);
  });
});
