import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConsentDecision, ErrorCode, fail, ok, parseJson } from '@wardlink/protocol';
import { AgentError } from '../errors.ts';
import type { SessionController, WardState } from '../session/SessionController.ts';

/** Options for {@link WardServer}. */
export interface WardServerOptions {
  controller: SessionController;
  /** Folder of the built ward page. */
  uiDir: string;
  host: string;
  port: number;
  log: Logger;
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
/** Bytes: the largest request body the page sends (a consent answer). */
const MAX_BODY_BYTES = 1024;
const FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/app.js': 'app.js',
  '/app.js.map': 'app.js.map',
};
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/**
 * The ward user's page on 127.0.0.1: the session code, who is connected, and
 * End session. Only loopback Host headers are served (DNS rebinding), and
 * state changes need the `X-Wardlink-Local` header, which a foreign web page
 * cannot send without a CORS preflight that this server never grants.
 */
export class WardServer {
  private readonly options: WardServerOptions;
  private readonly server: Server;
  private readonly streams = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;
  private allowedHosts = new Set<string>();
  private closed = false;

  constructor(options: WardServerOptions) {
    this.options = options;
    this.server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        options.log.error({ err: String(err) }, 'ward page request failed');
        if (!res.headersSent) send(res, 500, fail(ErrorCode.INTERNAL));
      });
    });
    this.unsubscribe = options.controller.subscribe((state) => this.broadcast(state));
  }

  /** Starts listening; resolves to the page's URL. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    const port = (this.server.address() as AddressInfo).port;
    this.allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
    return `http://127.0.0.1:${port}/`;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');
    if (!this.allowedHosts.has(req.headers.host ?? '')) return send(res, 403, fail(ErrorCode.FORBIDDEN));
    const path = (req.url ?? '/').split('?')[0]!;
    const { controller } = this.options;

    if (req.method === 'POST') {
      const origin = req.headers.origin;
      if (req.headers['x-wardlink-local'] !== '1' || (origin && !this.allowedHosts.has(origin.replace(/^http:\/\//, '')))) {
        return send(res, 403, fail(ErrorCode.FORBIDDEN));
      }
      if (path === '/api/consent') {
        const body = parseJson(ConsentDecision, await readBody(req), MAX_BODY_BYTES);
        if (!body.ok) return send(res, 400, body);
        try {
          return send(res, 200, ok(await controller.decideConsent(body.value)));
        } catch (err) {
          const message = err instanceof AgentError ? err.message : 'The answer could not be applied.';
          return send(res, 409, fail(ErrorCode.BAD_MESSAGE, message));
        }
      }
      req.resume();
      if (path === '/api/alarm/ack') return send(res, 200, ok(controller.acknowledgeAlarm()));
      if (path === '/api/help') {
        try {
          return send(res, 200, ok(await controller.requestHelp()));
        } catch (err) {
          const code = (err as { code?: string }).code === 'unreachable' ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL;
          return send(res, 503, fail(code, 'The support server cannot be reached. Try again in a moment.'));
        }
      }
      if (path === '/api/end') return send(res, 200, ok(controller.endByUser()));
      return send(res, 404, fail(ErrorCode.NOT_FOUND));
    }
    if (req.method !== 'GET') return send(res, 405, fail(ErrorCode.BAD_MESSAGE));
    if (path === '/api/state') return send(res, 200, ok(controller.snapshot));
    if (path === '/api/events') return this.openStream(res);
    const file = FILES[path];
    if (!file) return send(res, 404, fail(ErrorCode.NOT_FOUND));
    try {
      const body = await readFile(join(this.options.uiDir, file));
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      send(res, 404, fail(ErrorCode.NOT_FOUND, 'The ward page is not built: run npm run build.'));
    }
  }

  private openStream(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    res.write(`event: state\ndata: ${JSON.stringify(this.options.controller.snapshot)}\n\n`);
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }

  private broadcast(state: WardState): void {
    const frame = `event: state\ndata: ${JSON.stringify(state)}\n\n`;
    for (const res of this.streams) res.write(frame);
  }

  /** Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const res of this.streams) res.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Reads a request body of at most {@link MAX_BODY_BYTES}; a larger one reads as '' (refused by the schema). */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return 'x'.repeat(MAX_BODY_BYTES + 1);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
