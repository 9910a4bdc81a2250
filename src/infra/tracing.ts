// OpenTelemetry traces, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (config.tracing): a span
// per GraphQL operation, per service call, per SQL statement (Prisma and raw), per blob store call and per embedding
// request, nested as they run (AsyncLocalStorage context). Off (the default), nothing is loaded and nothing wraps.
import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import type { Config } from '../config.js';

const tracer = () => trace.getTracer('docstore');

export interface Tracing {
  shutdown(): Promise<void>;
}

/** Registers the global tracer provider and its OTLP exporter; undefined when tracing is off. */
export async function startTracing(config: Config['tracing']): Promise<Tracing | undefined> {
  if (!config.endpoint) return undefined;
  const [{ TracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }, { AsyncLocalStorageContextManager }] = await Promise.all([
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/context-async-hooks'),
  ]);
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${config.endpoint.replace(/\/+$/, '')}/v1/traces` }),
        scheduledDelayMillis: config.exportDelayMs,
      }),
    ],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.forceFlush().catch(() => undefined);
      await provider.shutdown().catch(() => undefined);
    },
  };
}

/** Runs `fn` in a span named `name` (a child of the current one); errors mark the span and go on. */
export function inSpan<T>(name: string, attributes: Record<string, string | number | boolean>, fn: (span: Span) => Promise<T> | T): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * `target` with a span around each call of its methods that return promises, named `<name>.<method>`. Methods that
 * return anything else (iterators, streams, plain values) run as they are.
 */
export function traced<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      return function (this: unknown, ...args: unknown[]) {
        const span = tracer().startSpan(`${name}.${property}`);
        const active = trace.setSpan(context.active(), span);
        let result: unknown;
        try {
          result = context.with(active, () => (value as (...a: unknown[]) => unknown).apply(this === receiver ? object : this, args));
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (v) => (span.end(), v),
            (error: unknown) => {
              span.recordException(error as Error);
              span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
              span.end();
              throw error;
            },
          );
        }
        span.end();
        return result;
      };
    },
  });
}
