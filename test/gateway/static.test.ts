/**
 * Issue 10 item 14 and issue 9 item 8, over real HTTPS: the gateway serves the demo pages and the
 * kit's browser files (with CORS for the allowed origins), nothing else of the build and nothing
 * of node_modules; --allow-origin adds to the gateway's own origins; HSTS on named hosts; a CSP
 * whose connect-src names what the pages connect to.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { expectResponse } from '../support/calls.js';
import { REPO_ROOT } from '../support/gateway.js';
import { rawHttp } from '../support/raw-http.js';
import { useGateway } from '../support/suite.js';

const SITE = 'https://app.example';

describe('static files, CORS and headers (--allow-origin https://app.example)', () => {
  const s = useGateway({ args: ['--allow-origin', SITE] });

  test('the bundles are served with CORS for an allowed origin, without it for another', async () => {
    for (const file of ['ipo-webrtc-kit.js', 'awl.min.js', 'ipo-webrtc-kit.js.map']) {
      const allowed = await s.gw.http('GET', `/dist/${file}`, { headers: { Origin: SITE } });
      assert.equal(allowed.status, 200, file);
      assert.equal(allowed.headers['access-control-allow-origin'], SITE, file);
      assert.match(String(allowed.headers.vary), /Origin/);
      const own = await s.gw.http('GET', `/dist/${file}`, { headers: { Origin: s.gw.origin } });
      assert.equal(own.headers['access-control-allow-origin'], s.gw.origin);
      const foreign = await s.gw.http('GET', `/dist/${file}`, {
        headers: { Origin: 'https://evil.example' },
      });
      assert.equal(foreign.status, 200);
      assert.equal(foreign.headers['access-control-allow-origin'], undefined);
    }
    const js = await s.gw.http('GET', '/dist/ipo-webrtc-kit.js');
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
  });

  test('every browser file of dist/ is served; the gateway code, declarations and node_modules are not', async () => {
    const top = await readdir(`${REPO_ROOT}dist`, { withFileTypes: true });
    const files = top.filter((e) => e.isFile() && /\.(js|map)$/.test(e.name)).map((e) => e.name);
    assert.ok(files.length >= 4, `dist files: ${files.join(', ')}`);
    for (const f of files) assert.equal((await s.gw.http('HEAD', `/dist/${f}`)).status, 200, f);
    for (const path of [
      '/dist/gateway/cli.js',
      '/dist/gateway/auth.js',
      '/dist/index.d.ts',
      '/dist/internal/',
      '/node_modules/ws/package.json',
      '/node_modules/lit/index.js',
      '/dist/../package.json',
      '/dist/%2e%2e/package.json',
    ]) {
      const r = await rawHttp(s.gw.port, `GET ${path} HTTP/1.1`);
      assert.equal(r.status, 404, `${path}: ${r.status}`);
    }
  });

  test('every file a demo page references is served (the pages keep working without node_modules)', async () => {
    const pages = (await readdir(`${REPO_ROOT}demo`)).filter((f) => f.endsWith('.html'));
    pages.push('angular/index.html');
    let checked = 0;
    for (const page of pages) {
      const html = await readFile(`${REPO_ROOT}demo/${page}`, 'utf8');
      const served = await s.gw.http('GET', `/${page}`);
      assert.equal(served.status, 200, page);
      for (const m of html.matchAll(/\b(?:src|href)="([^"#:]+)"/g)) {
        const ref = new URL(m[1]!, `${s.gw.url}${page}`);
        if (ref.origin !== s.gw.origin) continue;
        const r = await s.gw.http('GET', ref.pathname);
        assert.equal(r.status, 200, `${page} → ${ref.pathname}`);
        checked++;
      }
    }
    assert.ok(checked >= 10, `${checked} references checked`);
  });

  test('--allow-origin adds to the own origins: the own demo pages still connect', async () => {
    for (const origin of [s.gw.origin, SITE]) {
      const c = await s.connect({ origin });
      expectResponse(
        await c.request('getGatewaySettings', { type: 'all' }),
        'gatewaySettingsResponse',
        '200',
      );
    }
  });

  test('HSTS on HTTPS answers for a named host (not for IP addresses or localhost); a narrow connect-src', async () => {
    const named = await rawHttp(s.gw.port, 'GET /index.html HTTP/1.1', { Host: 'gw.example:9443' });
    assert.equal(named.status, 200);
    assert.match(named.headers['strict-transport-security'] ?? '', /^max-age=\d{7,}/);
    for (const host of ['127.0.0.1', `localhost:${s.gw.port}`]) {
      const r = await rawHttp(s.gw.port, 'GET /index.html HTTP/1.1', { Host: host });
      assert.equal(r.headers['strict-transport-security'], undefined, host);
    }
    const csp = named.headers['content-security-policy'] ?? '';
    const connect = /connect-src ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
    assert.ok(connect.includes("'self'"), csp);
    assert.ok(connect.includes(s.gw.origin.replace('https', 'wss')), csp);
    assert.ok(!connect.includes('wss:') && !connect.includes('https:'), `no bare schemes: ${csp}`);
    assert.ok(!connect.includes(SITE), 'a site allowed to connect is not a place the pages go');
  });
});
