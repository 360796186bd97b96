import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scratchDatabase, type ScratchDatabase } from '../support/database';
import { freePort, killAuraProcesses, startAuraProcess } from '../support/process';

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
}
interface OtlpExport {
  resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
}

/** Traces leave the real process over OTLP/HTTP, to a receiver in this test. */
describe('tracing (OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  let receiver: Server;
  let dataDir: string;
  let database: ScratchDatabase;
  const bodies: string[] = [];
  const spans: OtlpSpan[] = [];
  const arrivals = new Set<() => void>();

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        if (req.url === '/v1/traces') {
          bodies.push(body);
          const payload = JSON.parse(body) as OtlpExport;
          for (const resource of payload.resourceSpans) for (const scope of resource.scopeSpans) spans.push(...scope.spans);
          for (const arrived of arrivals) arrived();
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    dataDir = mkdtempSync(join(tmpdir(), 'aura-tracing-'));
    database = await scratchDatabase({ dataDir });
  });
  afterAll(async () => {
    await killAuraProcesses();
    await new Promise((resolve) => receiver.close(resolve));
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Resolves once the spans received satisfy `found` (checked on each arrival). */
  const received = (found: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!found()) return;
        arrivals.delete(check);
        resolve();
      };
      arrivals.add(check);
      check();
    });

  it('exports HTTP -> GraphQL operation -> SQL spans of one request, with no values in them', async () => {
    const port = await freePort();
    const aura = startAuraProcess(port, {
      AURA_DATA_DIR: dataDir,
      ...(database.url ? { DATABASE_URL: database.url } : {}),
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    await aura.ready();
    const email = 'traced.person@example.com';
    const password = 'a-traced-password-value';
    const response = await fetch(aura.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation Register($input: RegisterInput!) { register(input: $input) { user { id } } }',
        variables: { input: { email, password, firstName: 'Tracy', lastName: 'Spanner' } },
      }),
    });
    expect(response.status).toBe(200);

    const byId = () => new Map(spans.map((span) => [span.spanId, span]));
    const ancestors = (span: OtlpSpan) => {
      const chain: OtlpSpan[] = [];
      const index = byId();
      for (let parent = span.parentSpanId && index.get(span.parentSpanId); parent; parent = parent.parentSpanId && index.get(parent.parentSpanId)) chain.push(parent);
      return chain;
    };
    // The insert of the new account, under the operation's execution, under the HTTP request.
    const insert = () => spans.find((span) => span.kind === 3 && /user_account/.test(JSON.stringify(span.attributes)) && /insert/i.test(JSON.stringify(span.attributes)));
    await received(() => {
      const sql = insert();
      return !!sql && ancestors(sql).some((a) => a.kind === 2);
    });
    const chain = ancestors(insert()!);
    const execute = chain.find((span) => span.name === 'mutation Register'); // graphql's execution span, named after the operation
    const http = chain.find((span) => span.kind === 2);
    expect(execute).toBeDefined();
    expect(http).toBeDefined();
    expect(ancestors(execute!)).toContain(http);
    expect(http!.name).toBe('POST /graphql');

    // Neither the statement (MikroORM inlines values) nor the document or variables carry what was sent.
    const exported = bodies.join('\n');
    expect(exported).not.toContain(email);
    expect(exported).not.toContain(password);
    expect(exported).not.toContain('Spanner');
    aura.child.kill('SIGTERM');
    expect(await aura.exited).toBe(0);
  }, 600_000);
});
