import { Histogram, type Registry } from 'prom-client';

export type HttpLabels = 'method' | 'route' | 'status' | 'operation';

/** `mdm_http_request_duration_seconds{method,route,status,operation}`; operation is the GraphQL operation name ('' elsewhere). */
export function createHttpMetrics(registry: Registry): Histogram<HttpLabels> {
  return new Histogram({
    name: 'mdm_http_request_duration_seconds',
    help: 'HTTP request duration by route (GraphQL: by operation name)',
    labelNames: ['method', 'route', 'status', 'operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
const DECLARED = /^\s*(?:#[^\n]*\n\s*)*(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

/**
 * Names GraphQL operations for metrics with bounded cardinality: the `operationName`, else the
 * name declared in the document, else `anonymous`; at most `limit` distinct names, then `other`.
 */
export class OperationNamer {
  private readonly seen = new Set<string>();
  constructor(private readonly limit = 200) {}

  name(operationName: unknown, query: unknown): string {
    let name: string | undefined;
    if (typeof operationName === 'string' && NAME.test(operationName)) name = operationName;
    else if (typeof query === 'string') name = DECLARED.exec(query)?.[2];
    if (!name || !NAME.test(name)) return 'anonymous';
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.limit) return 'other';
    this.seen.add(name);
    return name;
  }
}
