import { runLoad, startChild } from '../bench/run';

/** The benchmark's processes start, answer, and stop cleanly (no timing is asserted: `npm run bench` measures). */
describe('the benchmark harness', () => {
  it('starts a server process, loads it from another process, and leaves no process behind', async () => {
    // No database behind it: every answer is a 500, counted as an error; the point is the processes.
    const server = await startChild('raw', { ...process.env, BENCH_DB_URL: 'postgresql://postgres@127.0.0.1:1/none', BENCH_POOL_SIZE: '1' });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
      const stats = await server.request<{ rss: number; statements: number }>({ type: 'stats' }, 'stats');
      expect(stats.rss).toBeGreaterThan(0);
      const result = await runLoad({ kind: 'query', url: server.url, seconds: 1, connections: 2, body: JSON.stringify({ query: '{ users(first: 1) { totalCount } }' }), headers: {} });
      expect(result.requests).toBeGreaterThan(0);
      expect(result.errors).toBe(result.requests);
    } finally {
      await server.stop();
    }
    expect(server.process.exitCode).toBe(0);
    expect(() => process.kill(server.process.pid!, 0)).toThrow();
  }, 90_000);
});
