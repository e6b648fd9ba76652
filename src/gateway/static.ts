/**
 * Static files of the dev gateway: the demo pages and the kit's built browser files, with the
 * security headers every HTTP answer carries, and CORS on the bundles for the allowed origins (so
 * `<script type="module" src="https://gateway:9443/dist/ipo-webrtc-kit.js">` works from a page on
 * another origin). Nothing else is served: not the gateway's own code, not type declarations, not
 * node_modules.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

export interface StaticRoot {
  /** URL prefix, e.g. '/' or '/dist/' */
  prefix: string;
  dir: string;
  /** the kit's build output: only its browser files, with CORS for the allowed origins */
  bundles?: boolean;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wav': 'audio/wav',
  '.txt': 'text/plain; charset=utf-8',
};

/** What a browser loads from the build: scripts, their source maps, styles, data and images. */
const BUNDLE_TYPES = new Set(['.js', '.mjs', '.map', '.css', '.json', '.svg', '.png', '.wav']);
/** Build output that is not for browsers: the gateway itself and test helpers. */
const NOT_FOR_BROWSERS = /^(?:gateway|internal)(?:\/|$)|\.d\.ts(?:\.map)?$|\.test\./;

/**
 * The Content-Security-Policy of the gateway's pages. `connect-src` names only what they connect
 * to: this gateway (`'self'`, and its own wss: origins spelled out) and the HA peer's origins
 * (pages fail over to it), not every wss: and https: host.
 */
export function contentSecurityPolicy(connectOrigins: readonly string[]): string {
  const connect = new Set<string>(["'self'"]);
  for (const origin of connectOrigins) {
    connect.add(origin);
    connect.add(origin.replace(/^http/, 'ws'));
  }
  return [
    "default-src 'self'",
    `connect-src ${[...connect].join(' ')}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "style-src 'self' 'unsafe-inline'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
}

/**
 * HSTS on HTTPS answers for a named host. Not for an IP address (browsers ignore it there) nor for
 * `localhost`, where it would pin every other local dev server on any port to HTTPS.
 */
export function hstsFor(tls: boolean, hostHeader: string | undefined): string | null {
  if (!tls || !hostHeader) return null;
  const host = hostHeader.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (isIP(host) || host === 'localhost' || host.endsWith('.localhost')) return null;
  return 'max-age=15552000';
}

export type SendJson = (res: ServerResponse, status: number, body: unknown) => void;

/** A static file handler over `roots`; `allowed(origin)` decides CORS on bundle files. */
export function staticFiles(
  roots: readonly StaticRoot[],
  allowed: (origin: string) => boolean,
  sendJson: SendJson,
) {
  return async function serveStatic(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    for (const root of roots) {
      if (!pathname.startsWith(root.prefix)) continue;
      let rel: string;
      try {
        rel = decodeURIComponent(pathname.slice(root.prefix.length));
      } catch {
        return sendJson(res, 400, { error: 'bad percent-encoding in the path' });
      }
      if (rel.includes('\0')) return sendJson(res, 400, { error: 'bad path' });
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      if (root.bundles && (NOT_FOR_BROWSERS.test(rel) || !BUNDLE_TYPES.has(extname(rel)))) continue;
      const base = resolve(root.dir);
      const file = normalize(join(base, rel));
      if (file !== base && !file.startsWith(base + sep)) continue; // traversal attempt
      try {
        const info = await stat(file);
        if (!info.isFile()) continue;
        const origin = req.headers.origin;
        if (root.bundles && origin !== undefined && allowed(origin)) {
          res.setHeader('Access-Control-Allow-Origin', origin);
        }
        if (root.bundles) res.setHeader('Vary', 'Origin');
        res.writeHead(200, {
          'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
          'Content-Length': info.size,
          'Cache-Control': 'no-cache',
        });
        if (req.method === 'HEAD') return void res.end();
        createReadStream(file).pipe(res);
        return;
      } catch {
        /* not in this root */
      }
    }
    sendJson(res, 404, { error: 'not found' });
  };
}
