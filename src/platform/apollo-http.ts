import type { ApolloServer, BaseContext, ContextFunction, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';
import { endWithText } from './http';

/** A request whose JSON body has been read (express.json), on express's road or the operations' road. */
export type BodiedRequest = IncomingMessage & { body?: unknown };

/**
 * Apollo Server behind express, as @as-integrations/express5 serves it, with one difference: a POST's
 * answer is written with `setHeader` and `end`, not express's `res.send`. A POST answer is never
 * cached, and `send` hashed every answer for an ETag (SHA-1 over the whole body) and copied it into
 * a Buffer to measure it. GET answers (queries over GET, the landing page) still go through `send`,
 * so their ETag and 304 stay as they were.
 */
export function apolloHandler<TContext extends BaseContext>(server: ApolloServer<TContext>, context: ContextFunction<[{ req: BodiedRequest }], TContext>) {
  server.assertStarted('apolloHandler()');
  return async (req: BodiedRequest, res: ServerResponse): Promise<void> => {
    const headers = new HeaderMap();
    for (const name in req.headers) {
      const value = req.headers[name];
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: (req.method ?? '').toUpperCase(),
      headers,
      search: query === -1 ? '' : url.slice(query),
      body: req.body,
    };
    const answer = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context({ req }) });
    for (const [name, value] of answer.headers) res.setHeader(name, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      if (httpGraphQLRequest.method !== 'POST') {
        // Only express's road serves other methods.
        (res as Response).send(answer.body.string);
        return;
      }
      endWithText(res, withUtf8(res.getHeader('content-type')), answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/** The content type as express's `send` gives a string body: HTML when unset, and always charset=utf-8. */
function withUtf8(type: number | string | string[] | undefined): string {
  if (typeof type !== 'string') return 'text/html; charset=utf-8';
  return /;\s*charset=utf-8\s*$/i.test(type) ? type : `${type.replace(/;\s*charset=[^;]*/i, '')}; charset=utf-8`;
}
