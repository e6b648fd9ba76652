/**
 * The pure parts of "errors that say what to do": user agents in words, login failure reasons,
 * and the connection classifier's decisions given what fetch and WebRTC report (injected here; the
 * browser suite test/browser/errors.test.ts shows the same against real gateways in Chromium).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeUserAgent,
  diagnoseConnection,
  loginFailureDetails,
  problemMessage,
} from '../../src/core/diagnose.js';

const UA = {
  chromeLinux:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  headless:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36',
  edgeWin:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36',
};

describe('describeUserAgent', () => {
  it('names browser and system in words', () => {
    assert.equal(describeUserAgent(UA.chromeLinux).where, 'Chrome on Linux');
    assert.equal(describeUserAgent(UA.headless).where, 'Chrome on Linux');
    assert.equal(describeUserAgent(UA.edgeWin).where, 'Edge on Windows');
    assert.equal(describeUserAgent(UA.firefoxMac).where, 'Firefox on macOS');
    assert.equal(describeUserAgent(UA.safariIphone).where, 'Safari on iPhone');
    assert.equal(describeUserAgent(UA.chromeAndroid).where, 'Chrome on Android');
  });

  it('never passes on text of the string itself', () => {
    assert.equal(describeUserAgent('<img src=x onerror=alert(1)>').where, '');
    assert.equal(describeUserAgent('another client').where, '');
    assert.equal(describeUserAgent('curl/8.0 (Linux)').where, 'a browser on Linux');
  });
});

describe('loginFailureDetails', () => {
  it('reads the dev gateway\'s "already in use by <UA>" as in use, in words', () => {
    const d = loginFailureDetails(
      `Extension 201 is already in use by ${UA.chromeLinux}`,
      'logging-in',
    );
    assert.deepEqual(d, {
      problem: 'in-use',
      where: 'Chrome on Linux',
      browser: 'Chrome',
      os: 'Linux',
    });
    assert.ok(!problemMessage(d!).includes('Mozilla'), 'the raw user agent is never shown');
    assert.match(problemMessage(d!), /Chrome on Linux.*Use it here/);
    const unknown = loginFailureDetails(
      'Extension 201 is already in use by another client',
      'logging-in',
    );
    assert.deepEqual(unknown, { problem: 'in-use', where: '' });
  });

  it('tells a forced logout and a session lost in a reconnect apart from a wrong password', () => {
    assert.equal(loginFailureDetails('Logged in elsewhere', 'logged-in')?.problem, 'taken-over');
    assert.equal(loginFailureDetails('Token rejected', 'reconnecting')?.problem, 'session-ended');
    assert.equal(loginFailureDetails('Token rejected', 'failing-over')?.problem, 'session-ended');
    assert.equal(loginFailureDetails('Invalid Credentials', 'logging-in'), undefined);
    assert.equal(loginFailureDetails('Token rejected', 'logging-in'), undefined);
  });
});

type FetchReply = 'opaque' | 'network-error' | 'hang' | { allowed: boolean } | 'no-endpoint';

/** A fetch that answers the root probe and the origin check as told, recording the calls. */
function fakeFetch(root: FetchReply, check: FetchReply = 'no-endpoint') {
  const calls: Array<{ url: string; mode?: string; credentials?: string }> = [];
  const f = ((url: string, init: RequestInit) => {
    calls.push({ url, mode: init.mode, credentials: init.credentials });
    const reply = url.endsWith('/origin-check') ? check : root;
    if (reply === 'hang')
      return new Promise((_, reject) =>
        init.signal?.addEventListener('abort', () => reject(new Error('aborted'))),
      );
    if (reply === 'network-error' || reply === 'no-endpoint')
      return Promise.reject(new TypeError('Failed to fetch'));
    if (reply === 'opaque') return Promise.resolve({ type: 'opaque' });
    return Promise.resolve({ json: () => Promise.resolve({ origin: 'x', ...reply }) });
  }) as unknown as typeof fetch;
  return { f, calls };
}

/** An RTCPeerConnection that reports the given ICE candidate errors, or none. */
function fakePc(errors: Array<{ url: string; errorText: string }>) {
  const made: RTCConfiguration[] = [];
  class PC {
    onicecandidateerror: ((e: unknown) => void) | null = null;
    closed = false;
    constructor(config: RTCConfiguration) {
      made.push(config);
      this.url = String(config.iceServers![0]!.urls);
    }
    createDataChannel() {}
    async createOffer() {
      return {};
    }
    readonly url: string;
    async setLocalDescription() {
      for (const e of errors.filter((x) => x.url === this.url))
        setTimeout(() => this.onicecandidateerror?.({ errorCode: 701, ...e }), 1);
    }
    close() {
      this.closed = true;
    }
  }
  return { PC: PC as unknown as typeof RTCPeerConnection, made };
}

const ORIGIN = 'https://site.example';
const run = (
  root: FetchReply,
  check?: FetchReply,
  ice: Array<{ url: string; errorText: string }> = [],
) => {
  const { f, calls } = fakeFetch(root, check);
  const { PC, made } = fakePc(ice);
  return diagnoseConnection('gw.example.com', '9443', {
    fetch: f,
    RTCPeerConnection: PC,
    origin: ORIGIN,
    timeoutMs: 50,
    iceMs: 50,
  }).then((d) => ({ d, calls, made }));
};

describe('diagnoseConnection', () => {
  const url = 'https://gw.example.com:9443/';

  it('reachable, and the gateway says this origin is not allowed → origin-not-allowed', async () => {
    const { d, calls } = await run('opaque', { allowed: false });
    assert.deepEqual(d, {
      problem: 'origin-not-allowed',
      url,
      host: 'gw.example.com',
      origin: ORIGIN,
    });
    assert.deepEqual(calls, [
      { url, mode: 'no-cors', credentials: 'omit' },
      { url: `${url}origin-check`, mode: 'cors', credentials: 'omit' },
    ]);
    assert.equal(
      problemMessage(d!),
      `The gateway at ${url} does not allow this page. Ask the administrator to allow origin ${ORIGIN}.`,
    );
  });

  it('reachable but no answer about the origin (another server, or a real gateway) → refused', async () => {
    assert.equal((await run('opaque', 'no-endpoint')).d?.problem, 'refused');
    assert.equal((await run('opaque', { allowed: true })).d?.problem, 'refused');
  });

  it('no answer in time → unreachable, without a WebRTC probe', async () => {
    const { d, made } = await run('hang');
    assert.equal(d?.problem, 'unreachable');
    assert.equal(made.length, 0);
  });

  it('network error, then a failed host lookup → host-not-found', async () => {
    const { d, made } = await run('network-error', undefined, [
      {
        url: 'turn:gw.example.com:9443?transport=tcp',
        errorText: 'Failed to establish connection',
      },
      { url: 'stun:gw.example.com:9443', errorText: 'STUN host lookup received error.' },
    ]);
    assert.equal(d?.problem, 'host-not-found');
    assert.match(problemMessage(d!), /"gw\.example\.com" was not found\. Check the host name/);
    assert.deepEqual(
      made.map((c) => c.iceServers!.map((s) => s.urls)),
      [['stun:gw.example.com:9443'], ['turn:gw.example.com:9443?transport=tcp']],
    );
  });

  it('network error, then the TCP connection is refused → unreachable', async () => {
    const { d } = await run('network-error', undefined, [
      {
        url: 'turn:gw.example.com:9443?transport=tcp',
        errorText: 'Failed to establish connection',
      },
    ]);
    assert.equal(d?.problem, 'unreachable');
    assert.match(
      problemMessage(d!),
      /Nothing answers at https:\/\/gw\.example\.com:9443\/\. Check the port/,
    );
  });

  it('network error while the port is open → certificate, naming the page to open', async () => {
    const { d } = await run('network-error');
    assert.equal(d?.problem, 'certificate');
    assert.match(
      problemMessage(d!),
      /Open https:\/\/gw\.example\.com:9443\/ once in this browser, accept its certificate/,
    );
  });
});
