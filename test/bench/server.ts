import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { countingPool, rawAnswer, resolvers, SDL } from './peers';

/*
 * One server of the benchmark, in its own process: `server.ts <aura|apollo|mercurius|raw>`.
 * It tells the parent (IPC) its URL, then answers { type: 'stats' } with its memory and SQL
 * statement count, { type: 'settle' } once the work its requests left behind is done (Aura's
 * outbox deliveries; the peers have none), { type: 'token' } (Aura) with a signed token, and exits
 * on { type: 'stop' }.
 */
const kind = process.argv[2];
const databaseUrl = process.env.BENCH_DB_URL;
const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 10);

type Message = { type: 'stats' } | { type: 'settle' } | { type: 'stop' } | { type: 'token'; userId: string; role: string };
interface Started {
  url: string;
  databaseUrl?: string;
  statements(): number;
  token?(userId: string, role: string): string;
  /** Resolves once the work the requests left behind is done (Aura: every due outbox delivery attempted). */
  settled?(): Promise<void>;
  stop(): Promise<void>;
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
        close: () => new Promise((done) => server.close(() => done())),
      }),
    ),
  );
}

/** Peers trust a user id header: the signature check is not what is measured. */
const viewerIdOf = (context: object) => (context as { viewerId: string }).viewerId;

async function startAura(): Promise<Started> {
  // The built Aura (dist/), as `npm start` runs it.
  const dist = join(process.env.BENCH_ROOT ?? join(__dirname, '..', '..'), 'dist');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadSettings } = require(join(dist, 'config', 'env')) as typeof import('../../src/config/env');
  const app = require(join(dist, 'platform', 'app')) as typeof import('../../src/platform/app');
  const { createLogger } = require(join(dist, 'platform', 'logger')) as typeof import('../../src/platform/logger');
  // Statements are counted as the peers' are, one increment per query sent by the driver: an
  // `onQuery` listener would turn the ORM's query logging on, which `npm start` does not run.
  // The driver Aura's checkout loads (BENCH_COMPARE's Aura B has node_modules of its own).
  const { Client: AurasClient } = require(require.resolve('pg', { paths: [dist] })) as typeof import('pg');
  let statements = 0;
  const query = AurasClient.prototype.query as (...args: unknown[]) => unknown;
  AurasClient.prototype.query = function countedQuery(this: Client, ...args: unknown[]) {
    statements++;
    return query.apply(this, args);
  } as typeof Client.prototype.query;
  const settings = loadSettings({ ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
  const aura = await app.startAura(settings, { port: 0, log: createLogger('silent') });
  return {
    url: `http://127.0.0.1:${aura.server.port}/graphql`,
    databaseUrl: aura.database.clientUrl,
    statements: () => statements,
    token: (userId, role) => aura.gateway.tokens.issue({ userId, role: role as never }),
    settled: () => aura.gateway.events.settled(),
    stop: () => aura.stop(),
  };
}

async function startApollo(): Promise<Started> {
  const { ApolloServer } = await import('@apollo/server');
  const { expressMiddleware } = await import('@as-integrations/express5');
  const express = (await import('express')).default;
  const counted = countingPool(new Pool({ connectionString: databaseUrl, max: poolSize }));
  // Apollo's defaults: no plugins configured, cache control and the rest as shipped.
  const apollo = new ApolloServer<{ viewerId: string }>({ typeDefs: SDL, resolvers: resolvers(counted.pool, viewerIdOf) });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo, { context: async ({ req }) => ({ viewerId: String(req.headers['x-user-id']) }) }));
  const server = await listen(app);
  return {
    url: server.url,
    statements: counted.statements,
    stop: async () => {
      await apollo.stop();
      await server.close();
      await counted.pool.end();
    },
  };
}

async function startMercurius(): Promise<Started> {
  const Fastify = (await import('fastify')).default;
  const mercurius = (await import('mercurius')).default;
  const counted = countingPool(new Pool({ connectionString: databaseUrl, max: poolSize }));
  const app = Fastify();
  await app.register(mercurius, {
    schema: SDL,
    resolvers: resolvers(counted.pool, viewerIdOf) as never,
    jit: 1,
    context: (request) => ({ viewerId: String(request.headers['x-user-id']) }),
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `${address}/graphql`,
    statements: counted.statements,
    stop: async () => {
      await app.close();
      await counted.pool.end();
    },
  };
}

async function startRaw(): Promise<Started> {
  const counted = countingPool(new Pool({ connectionString: databaseUrl, max: poolSize }));
  const server = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      try {
        const { query } = JSON.parse(Buffer.concat(chunks).toString()) as { query: string };
        const first = Number(/first: (\d+)/.exec(query)?.[1] ?? 50);
        const body = JSON.stringify(await rawAnswer(counted.pool, query.includes('therapySessions') ? 'dashboard' : 'users', first));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  return {
    url: server.url,
    statements: counted.statements,
    stop: async () => {
      await server.close();
      await counted.pool.end();
    },
  };
}

const starters: Record<string, () => Promise<Started>> = { aura: startAura, apollo: startApollo, mercurius: startMercurius, raw: startRaw };

async function main(): Promise<void> {
  const start = starters[kind];
  if (!start) throw new Error(`unknown server ${kind}`);
  const started = await start();
  process.on('message', (message: Message) => {
    if (message.type === 'stats') {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      process.send!({ type: 'stats', rss: memory.rss, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external + memory.arrayBuffers, statements: started.statements(), cpuMicros: cpu.user + cpu.system });
    }
    else if (message.type === 'settle') {
      const from = Date.now();
      void (started.settled?.() ?? Promise.resolve()).then(() => process.send!({ type: 'settled', ms: Date.now() - from }));
    } else if (message.type === 'token') process.send!({ type: 'token', token: started.token?.(message.userId, message.role) });
    else if (message.type === 'stop') started.stop().then(() => process.exit(0), () => process.exit(1));
  });
  // The parent gone (killed, crashed): no orphan keeps serving.
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', url: started.url, databaseUrl: started.databaseUrl });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
