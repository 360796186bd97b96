import type { ExecutionResult } from 'graphql';

/** One subscription over SSE (graphql-sse "distinct connections" protocol), read as a test would. */
export interface EventStream {
  status: number;
  headers: Headers;
  /** The JSON body when the server answered without opening a stream (401, 503, ...). */
  body?: unknown;
  /** Every `next` event's payload, in order. */
  results: ExecutionResult<Record<string, unknown>>[];
  /** SSE comment lines (the server's reasons for ending a stream); keep-alive pings are empty. */
  comments: string[];
  completed: boolean;
  /** Resolves when the stream ends, however it ends. */
  ended: Promise<void>;
  /** Waits until `count` results have arrived (or the stream ended); returns them all. */
  next(count: number): Promise<ExecutionResult<Record<string, unknown>>[]>;
  close(): void;
}

export interface StreamRequest {
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
  /** POST (default) or GET (query string, as an EventSource-like client sends). */
  method?: 'POST' | 'GET';
  headers?: Record<string, string>;
}

/** Opens `url` (…/graphql/stream, or …/graphql with Accept: text/event-stream) and parses the events as they come. */
export async function openEventStream(url: string, request: StreamRequest): Promise<EventStream> {
  const abort = new AbortController();
  const headers: Record<string, string> = { accept: 'text/event-stream', ...(request.token ? { authorization: `Bearer ${request.token}` } : {}), ...request.headers };
  let target = url;
  let body: string | undefined;
  if (request.method === 'GET') {
    const params = new URLSearchParams({ query: request.query, ...(request.variables ? { variables: JSON.stringify(request.variables) } : {}) });
    target = `${url}?${params}`;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify({ query: request.query, variables: request.variables ?? {} });
  }
  const response = await fetch(target, { method: request.method ?? 'POST', headers, body, signal: abort.signal });
  const results: ExecutionResult<Record<string, unknown>>[] = [];
  const comments: string[] = [];
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const stream: EventStream = {
    status: response.status,
    headers: response.headers,
    results,
    comments,
    completed: false,
    ended: Promise.resolve(),
    async next(count) {
      let open = true;
      void stream.ended.then(() => {
        open = false;
        wake();
      });
      while (results.length < count && open) await new Promise<void>((resolve) => waiters.push(resolve));
      return results;
    },
    close: () => abort.abort(),
  };
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const text = await response.text();
    stream.body = text ? JSON.parse(text) : undefined;
    return stream;
  }
  stream.ended = (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const message = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          const lines = message.split('\n');
          const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
          const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
          for (const line of lines.filter((l) => l.startsWith(':'))) if (line.slice(1).trim()) comments.push(line.slice(1).trim());
          if (event === 'next') results.push(JSON.parse(data));
          if (event === 'complete') stream.completed = true;
          wake();
        }
      }
    } catch {
      // aborted by close(), or the server went away: the stream has ended either way
    }
    wake();
  })();
  return stream;
}
