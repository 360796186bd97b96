import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadSettings, type Settings } from '../../src/config/env';
import { startAura, type Aura, type StartOptions } from '../../src/platform/app';
import { onScratchDatabase } from './database';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
  headers: Headers;
}

/** A started Aura on a free port, on its own fresh, migrated database (real PostgreSQL or embedded). */
export interface TestAura {
  aura: Aura;
  settings: Settings;
  url: string;
  wsUrl: string;
  request<T, V>(document: TypedDocumentNode<T, V>, variables?: V, token?: string): Promise<GraphQLResponse<T>>;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  wsClient(token?: string): Client;
  stop(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export async function startTestAura(env: Record<string, string> = {}, options: StartOptions = {}): Promise<TestAura> {
  const dataDir = mkdtempSync(join(tmpdir(), 'aura-test-'));
  const { settings, database } = await onScratchDatabase(
    loadSettings({ NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', JWT_SECRET: TEST_JWT_SECRET, AURA_DATA_DIR: dataDir, ...env }),
    options.manifest,
  );
  const aura = await startAura(settings, { port: 0, ...options });
  const url = `http://127.0.0.1:${aura.server.port}/graphql`;
  const wsUrl = `ws://127.0.0.1:${aura.server.port}/graphql`;
  const clients: Client[] = [];

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  return {
    aura,
    settings,
    url,
    wsUrl,
    post,
    async request(document, variables, token) {
      const response = await post({ query: print(document), variables }, token ? { authorization: `Bearer ${token}` } : {});
      const body = (await response.json()) as Omit<GraphQLResponse<never>, 'status' | 'headers'>;
      return { status: response.status, headers: response.headers, ...body } as GraphQLResponse<never>;
    },
    wsClient(token) {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: true,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.dispose()));
      await aura.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The one error of a response, asserting there is exactly one. */
export function onlyError<T>(response: GraphQLResponse<T>) {
  expect(response.errors).toHaveLength(1);
  return response.errors![0];
}

/** Runs one operation over a graphql-ws client and returns its single result. */
export function wsExecute<T>(client: Client, query: string, variables?: Record<string, unknown>): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  return new Promise((resolve, reject) => {
    let result: { data?: T; errors?: never } | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (result = value as never),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error as never }) : reject(error)),
        complete: () => resolve(result ?? {}),
      },
    );
  });
}
