/**
 * HTTPS + WSS front of the dev gateway: the signalling endpoint (subprotocol negotiation, Origin
 * allow-list, frame size limit, keep-alive text frames and WebSocket pings), static files for
 * the demo pages and bundles, `/healthz`, the HA peer sync (`/ha/sync`), and the admin CTI and
 * fault-injection endpoints.
 */
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  dialectForSubprotocol,
  KEEPALIVE_FRAME,
  SIGNALLING_PATH,
  SUBPROTOCOL_D10,
  SUBPROTOCOL_D11,
} from '../protocol/index.js';
import type { Gateway } from './gateway.js';
import type { HaMonitor } from './ha.js';
import { LogBudget } from './limits.js';
import { contentSecurityPolicy, hstsFor, staticFiles, type StaticRoot } from './static.js';
import type { Logger } from './log.js';
import { Session } from './session.js';
import type { TlsMaterial } from './tls.js';
import { adminTokenAnswer, issueEsna, sameOriginRequest, VISITOR_TTL } from './token-routes.js';

export interface ServerOptions {
  gateway: Gateway;
  log: Logger;
  host: string;
  port: number;
  tls: TlsMaterial | null;
  /** origins allowed besides the gateway's own (`--allow-origin`): signalling, admin and bundle CORS */
  allowOrigins?: string[];
  /** directories served over HTTP, by URL prefix (e.g. {'/': demo, '/dist/': dist}) */
  staticRoots: StaticRoot[];
  keepaliveSeconds: number;
  maxFrameBytes: number;
  adminToken?: string;
  /** frames a connection may send in a burst */
  frameBurst?: number;
  /** HA pair membership: answers the peer's `/ha/sync` */
  ha?: HaMonitor;
  /** origins allowed besides the gateway's own (HA: the peer's, whose pages fail over to us) */
  extraOrigins?: string[];
  /** extension the demo token route `/api/ipo-token` signs pages in as (off when unset) */
  webVisitor?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  origins: string[];
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(JSON.stringify(body));
}

class BodyTooLarge extends Error {
  constructor() {
    super('body too large');
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The path of a request target, or null when it cannot be read (a bad percent-encoding is found
 * later, per root). Never throws: `GET //`, `GET //a:99999/` or `GET //[` are paths, not URLs.
 */
export function requestPath(target: string | undefined): string | null {
  const raw = target ?? '/';
  // absolute-form, `*`, or `//…` (a scheme-relative reference, never a path of this server)
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  const end = raw.search(/[?#]/);
  return end < 0 ? raw : raw.slice(0, end);
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const { gateway, log } = o;
  const scheme = o.tls ? 'https' : 'http';
  let origins: string[] = [];

  const serveStatic = staticFiles(o.staticRoots, (origin) => origins.includes(origin), sendJson);
  let csp = contentSecurityPolicy([]);

  /** Bearer check shared by the admin endpoints; false when refused (the answer is sent). */
  function adminAllowed(req: IncomingMessage, res: ServerResponse): boolean {
    if (!o.adminToken) {
      sendJson(res, 404, { error: 'admin endpoint disabled (set IPO_ADMIN_TOKEN)' });
      return false;
    }
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ') || !safeEqual(auth.slice(7), o.adminToken)) {
      log.warn('admin: unauthorised', {
        ip: req.socket.remoteAddress,
        path: req.url?.split('?')[0] ?? null,
      });
      sendJson(res, 401, { error: 'unauthorised' });
      return false;
    }
    return true;
  }

  /**
   * Fault injection for tests: `{"silent":true|false,"extension"?:"201"}`. Silent means no
   * keep-alives, no pings, no answers and no events, and the HA peer sync goes unanswered — while
   * every socket stays open. With `extension`, only that extension's sessions; without, the whole
   * gateway (and `false` then also clears every per-session switch).
   */
  async function handleFault(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (adminCors(req, res) || !adminAllowed(req, res)) return;
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    let body: { silent?: unknown; extension?: unknown; media?: unknown };
    try {
      body = JSON.parse(await readBody(req, 1024)) as typeof body;
    } catch (err) {
      if (err instanceof BodyTooLarge) throw err;
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    if (body && typeof body === 'object' && body.media !== undefined) {
      // {"media":"kill"}: the media legs of every test call die without signalling
      if (body.media !== 'kill') return sendJson(res, 400, { error: 'media must be "kill"' });
      const killed = gateway.services?.killMedia() ?? 0;
      log.info('admin: media legs killed', { killed });
      return sendJson(res, 200, { killed });
    }
    if (!body || typeof body !== 'object' || typeof body.silent !== 'boolean')
      return sendJson(res, 400, { error: 'silent must be a boolean' });
    if (
      body.extension !== undefined &&
      (typeof body.extension !== 'string' || body.extension.length > 32)
    ) {
      return sendJson(res, 400, { error: 'extension must be a string' });
    }
    const sessions = gateway.setSilent(body.silent, body.extension as string | undefined);
    sendJson(res, 200, { silent: gateway.faults.silent, sessions });
  }

  async function handleSync(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!o.ha) return sendJson(res, 404, { error: 'not in an HA pair' });
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    if (!o.ha.authorised(req.headers.authorization)) {
      log.warn('ha: unauthorised sync', { ip: req.socket.remoteAddress });
      return sendJson(res, 401, { error: 'unauthorised' });
    }
    const text = await readBody(req, 4 * 1024 * 1024);
    if (gateway.faults.silent) return; // a hung gateway: the peer's check times out
    const answer = o.ha.handleSync(req.headers.authorization, text);
    res.writeHead(answer.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      ...answer.headers,
    });
    res.end(answer.body);
  }

  /**
   * CORS for the admin endpoints. A CTI application (or a browser test driving faults) may be a web
   * page on an allowed origin: answer its preflight. Other origins get no CORS headers, so browsers
   * keep them out; the bearer token is checked anyway. True when the request was answered.
   */
  function adminCors(req: IncomingMessage, res: ServerResponse): boolean {
    if (!o.adminToken) {
      sendJson(res, 404, { error: 'admin endpoint disabled (set IPO_ADMIN_TOKEN)' });
      return true;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      if (origin === undefined || !origins.includes(origin))
        sendJson(res, 403, { error: 'origin not allowed' });
      else {
        res.writeHead(204, {
          'Access-Control-Allow-Methods': 'POST',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type',
          'Access-Control-Max-Age': '600',
        });
        res.end();
      }
      return true;
    }
    return false;
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (adminCors(req, res) || !adminAllowed(req, res)) return;
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    let body: { extension?: unknown; ctiEvent?: unknown; callId?: unknown };
    try {
      body = JSON.parse(await readBody(req, 4096)) as typeof body;
    } catch (err) {
      if (err instanceof BodyTooLarge) throw err;
      return sendJson(res, 400, { error: 'body must be JSON' });
    }
    if (
      typeof body.extension !== 'string' ||
      typeof body.ctiEvent !== 'string' ||
      body.ctiEvent.length > 32
    ) {
      return sendJson(res, 400, { error: 'extension and ctiEvent must be strings' });
    }
    if (body.callId !== undefined && typeof body.callId !== 'string')
      return sendJson(res, 400, { error: 'callId must be a string' });
    const delivered = gateway.router.cti(
      body.extension,
      body.ctiEvent,
      body.callId as string | undefined,
    );
    log.info('admin: cti', { extension: body.extension, ctiEvent: body.ctiEvent, delivered });
    sendJson(res, delivered > 0 ? 200 : 404, { delivered });
  }

  /** `POST /admin/token` `{"user":"207","ttl":"10m"}`: an ESNA token for a directory user. */
  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (adminCors(req, res) || !adminAllowed(req, res)) return;
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'use POST' });
    const answer = adminTokenAnswer(
      gateway.options.tokens,
      gateway.options.directory,
      await readBody(req, 1024),
    );
    log.info('admin: token', {
      status: answer.status,
      user: 'user' in answer.body ? answer.body.user : null,
    });
    sendJson(res, answer.status, answer.body);
  }

  /** `GET /api/ipo-token`: the demo pages' stand-in for a site's token route (web visitor). */
  function handleVisitorToken(req: IncomingMessage, res: ServerResponse): void {
    if (!o.webVisitor) return sendJson(res, 404, { error: 'no web visitor configured' });
    if (req.method !== 'GET') return sendJson(res, 405, { error: 'use GET' });
    if (!sameOriginRequest(req.headers)) return sendJson(res, 403, { error: 'same origin only' });
    const issued = issueEsna(
      gateway.options.tokens,
      gateway.options.directory,
      o.webVisitor,
      VISITOR_TTL,
    );
    if (!issued) return sendJson(res, 503, { error: 'the web visitor extension does not exist' });
    sendJson(res, 200, issued);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const pathname = requestPath(req.url);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', csp);
    const hsts = hstsFor(o.tls !== null, req.headers.host);
    if (hsts) res.setHeader('Strict-Transport-Security', hsts);
    const run = async () => {
      if (pathname === null) return sendJson(res, 400, { error: 'bad request target' });
      if (pathname === '/healthz') {
        return sendJson(res, 200, {
          status: 'ok',
          sessions: gateway.sessionCount,
          connections: gateway.connectionCount,
          calls: gateway.router.activeCalls,
          services: gateway.services?.count ?? 0,
          parked: gateway.parkedCount,
          passwordChecks: gateway.limiter.checks,
          ...gateway.loginCounts,
          ...(o.ha ? o.ha.status() : { role: gateway.role, state: gateway.haState }),
          silent: gateway.faults.silent,
        });
      }
      if (pathname === '/origin-check') {
        // Lets a page whose signalling socket failed learn whether its own Origin is the reason
        // (the kit's connection diagnosis). Any origin may ask, only about itself; no credentials.
        const origin = req.headers.origin;
        res.setHeader('Access-Control-Allow-Origin', '*');
        return sendJson(res, 200, {
          origin: origin ?? null,
          allowed: origin === undefined || origins.includes(origin),
        });
      }
      if (pathname === '/admin/cti') return handleAdmin(req, res);
      if (pathname === '/admin/fault') return handleFault(req, res);
      if (pathname === '/admin/token') return handleToken(req, res);
      if (pathname === '/api/ipo-token') return handleVisitorToken(req, res);
      if (pathname === '/ha/sync') return handleSync(req, res);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, { error: 'method not allowed' });
      return serveStatic(req, res, pathname);
    };
    run().catch((err: Error) => {
      const tooLarge = err instanceof BodyTooLarge;
      if (!tooLarge) log.error('http error', { err: err.message, path: pathname?.slice(0, 200) });
      if (!res.headersSent)
        sendJson(res, tooLarge ? 413 : 500, {
          error: tooLarge ? 'body too large' : 'internal error',
        });
      else res.destroy();
    });
  };

  const server: Server = o.tls
    ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, onRequest)
    : createHttpServer(onRequest);

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: o.maxFrameBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) =>
      protocols.has(SUBPROTOCOL_D11)
        ? SUBPROTOCOL_D11
        : protocols.has(SUBPROTOCOL_D10)
          ? SUBPROTOCOL_D10
          : false,
  });

  const refusals = new LogBudget(log, 5, 50); // a storm of refused upgrades is summarised
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy()); // a reset before the handshake is answered
    const pathname = requestPath(req.url);
    const origin = req.headers.origin;
    const refuse = (status: number, text: string) => {
      refusals.warn('upgrade refused', {
        status,
        reason: text,
        origin: origin ?? null,
        ip: req.socket.remoteAddress,
      });
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (pathname === null) return refuse(400, 'Bad Request');
    if (pathname !== SIGNALLING_PATH) return refuse(404, 'Not Found');
    // Browsers always send Origin; a client without one is not a web page (no CSRF risk).
    if (origin !== undefined && !origins.includes(origin)) return refuse(403, 'Forbidden');
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (!gateway.ipLimits.open(ip)) return refuse(429, 'Too Many Requests');
    let counted = true;
    const release = () => {
      if (counted) gateway.ipLimits.close(ip);
      counted = false;
    };
    socket.once('close', release); // a handshake that never completes frees its slot too
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const sessionOf = new WeakMap<WebSocket, Session>();
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const session = new Session(
      ws,
      dialectForSubprotocol(ws.protocol),
      req.socket.remoteAddress ?? 'unknown',
      req.headers.origin,
      String(req.headers['user-agent'] ?? '').slice(0, 200),
      log,
      o.frameBurst ?? 80,
    );
    sessionOf.set(ws, session);
    gateway.open(session);
    ws.on('pong', () => {
      session.alive = true;
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        if (session.closing) return void session.dropped++;
        session.warnings.warn('binary frame ignored');
        return session.respond('unknown', 'errorResponse', {
          responseCode: '400',
          responseString: 'binary frames are not accepted',
        });
      }
      try {
        gateway.handle(session, data.toString());
      } catch (err) {
        // handle() answers its own failures; this is the last guard of the process
        session.log.error('frame handling failed', { err: (err as Error).message });
        ws.close(1011, 'Internal gateway error');
      }
    });
    ws.on('error', (err) => session.log.warn('socket error', { err: err.message }));
    ws.on('close', (code) => gateway.close(session, code));
  });

  const keepalive = setInterval(() => {
    for (const ws of wss.clients) {
      const session = sessionOf.get(ws);
      if (session?.silent) continue; // fault injection: no keep-alive, no ping, no dead-peer check
      if (session && !session.alive) {
        session.log.info('no pong: terminating');
        ws.terminate();
        continue;
      }
      if (session) session.alive = false;
      ws.ping();
      ws.send(KEEPALIVE_FRAME);
    }
  }, o.keepaliveSeconds * 1000);
  keepalive.unref();
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(o.port, o.host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = o.host.includes(':') ? `[${o.host}]` : o.host;
  const own = [`${scheme}://${hostForUrl}:${port}`];
  if (o.host === '127.0.0.1' || o.host === '0.0.0.0' || o.host === 'localhost') {
    own.push(`${scheme}://localhost:${port}`, `${scheme}://127.0.0.1:${port}`);
  }
  // --allow-origin adds to the gateway's own origins (its demo pages keep connecting)
  origins = [...new Set([...own, ...(o.extraOrigins ?? []), ...(o.allowOrigins ?? [])])];
  csp = contentSecurityPolicy([...own, ...(o.extraOrigins ?? [])]);
  const url = `${scheme}://${o.host === '0.0.0.0' ? '127.0.0.1' : hostForUrl}:${port}`;

  return {
    url,
    port,
    origins,
    close: async () => {
      clearInterval(keepalive);
      gateway.closeAll(1001, 'Gateway shutting down');
      await new Promise<void>((ok) => {
        wss.close(() => ok());
        setTimeout(ok, 2000).unref();
      });
      for (const ws of wss.clients) ws.terminate();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
