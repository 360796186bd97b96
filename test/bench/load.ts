import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * Sends the same POST body from `concurrency` keep-alive connections for `seconds`
 * (after a warm-up) and reports throughput and latency. Loopback only; bounded in time.
 */
export async function load(url: string, body: string, headers: Record<string, string>, seconds: number, concurrency = 16): Promise<LoadResult> {
  const target = new URL(url);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname)) throw new Error('benchmarks only target loopback');
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const once = () =>
    new Promise<boolean>((resolve) => {
      const request = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => resolve(response.statusCode === 200 && !Buffer.concat(chunks).includes('"errors"')));
        },
      );
      request.on('error', () => resolve(false));
      request.end(body);
    });
  const run = async (durationMs: number, latencies: number[] | null) => {
    let errors = 0;
    const deadline = Date.now() + durationMs;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < deadline) {
          const started = process.hrtime.bigint();
          const ok = await once();
          if (!ok) errors++;
          latencies?.push(Number(process.hrtime.bigint() - started) / 1e6);
        }
      }),
    );
    return errors;
  };
  await run(1000, null);
  const latencies: number[] = [];
  const started = Date.now();
  const errors = await run(seconds * 1000, latencies);
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { requests: latencies.length, errors, seconds: elapsed, perSecond: latencies.length / elapsed, p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}
