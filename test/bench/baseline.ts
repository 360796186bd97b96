import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { Pool } from 'pg';

/**
 * The yardstick: a hand-written Apollo Server 5 answering the same query straight from
 * PostgreSQL with one SQL statement, no modules, no ORM, no platform.
 */
export async function startBaseline(
  databaseUrl: string,
  typeDefs: string,
  resolvers: (pool: Pool) => Record<string, Record<string, unknown>>,
  poolSize: number,
) {
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const apollo = new ApolloServer({ typeDefs, resolvers: resolvers(pool) });
  await apollo.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async stop() {
      await apollo.stop();
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}
