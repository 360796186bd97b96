import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { statementShape } from './logger';

/** Attributes whose text may carry values: SQL (MikroORM inlines parameters) and URLs (a GET's query string holds variables). */
const STATEMENTS = ['db.statement', 'db.query.text'];
const URLS = ['http.target', 'http.url', 'url.full', 'http.route'];
const QUERIES = ['url.query'];

/** Removes values from a span before it leaves: statements reduced to their shape, query strings dropped, error messages shaped. */
export function scrubSpan(span: ReadableSpan): void {
  const attributes = span.attributes as Record<string, unknown>;
  for (const key of STATEMENTS) if (typeof attributes[key] === 'string') attributes[key] = statementShape(attributes[key]);
  for (const key of URLS) if (typeof attributes[key] === 'string') attributes[key] = attributes[key].split('?')[0];
  for (const key of QUERIES) if (key in attributes) delete attributes[key];
  for (const event of span.events) {
    const eventAttributes = event.attributes as Record<string, unknown> | undefined;
    if (!eventAttributes) continue;
    if (typeof eventAttributes['exception.message'] === 'string') eventAttributes['exception.message'] = statementShape(eventAttributes['exception.message']);
    delete eventAttributes['exception.stacktrace']; // its first line repeats the message
  }
  if (span.status.message) (span.status as { message?: string }).message = statementShape(span.status.message);
}

/** Hands each ended span to the exporting processor only after scrubbing it. */
class ScrubbingProcessor implements SpanProcessor {
  constructor(private readonly next: SpanProcessor) {}
  onStart(span: Span, context: Context): void {
    this.next.onStart(span, context);
  }
  onEnd(span: ReadableSpan): void {
    scrubSpan(span);
    this.next.onEnd(span);
  }
  forceFlush(): Promise<void> {
    return this.next.forceFlush();
  }
  shutdown(): Promise<void> {
    return this.next.shutdown();
  }
}

/** Paths not worth a trace: probes and scrapes. */
const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

export interface Tracing {
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Traces HTTP -> GraphQL operation -> SQL over OTLP/HTTP (JSON) when OTEL_EXPORTER_OTLP_ENDPOINT is
 * set; otherwise loads nothing of OpenTelemetry. It patches http, express, graphql and pg as they
 * are required, so main.ts starts it before anything imports them.
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return undefined;
  // Required here, not imported: without an endpoint none of this loads.
  const { NodeTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } = require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express');
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');

  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || 'aura' }),
    spanProcessors: [new ScrubbingProcessor(new BatchSpanProcessor(new OTLPTraceExporter()))],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED.has((request.url ?? '').split('?')[0]),
        ignoreOutgoingRequestHook: () => true, // Aura calls no HTTP service; the exporter's own posts stay untraced
      }),
      new ExpressInstrumentation({ ignoreLayersType: ['middleware' as never, 'request_handler' as never] }),
      // Variables and literals stay out (allowValues false); one span per operation phase, not per field.
      new GraphQLInstrumentation({ allowValues: false, ignoreResolveSpans: true, mergeItems: true }),
      // Only statements run for a traced request: the outbox's polling would otherwise be a trace a second.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
