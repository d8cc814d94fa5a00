import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';

/** Starts the HTTP server on a port (0 = any free port) and resolves once it listens. */
export function startServer(app: Hono, port: number, hostname = '127.0.0.1'): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => resolve({ server, port: info.port }));
    server.once('error', reject);
  });
}
