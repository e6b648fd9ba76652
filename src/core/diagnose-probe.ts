/**
 * The probe behind `diagnoseConnection` (see diagnose.ts for what it observes and why): loaded on
 * first use only, after a connection failed; in the kit bundle it is the sibling file
 * dist/ipo-webrtc-kit.diagnose-probe.js. Nothing here but types from the rest of the kit.
 */
import type { IpoErrorDetails, IpoProblem } from './errors.js';

/** What a probe of the gateway's origin needs (the page's globals by default; tests inject). */
export interface ProbeEnvironment {
  fetch?: typeof fetch;
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** This page's origin. */
  origin?: string;
  /** How long the HTTPS probe may take before the address counts as not answering, ms. */
  timeoutMs?: number;
  /** How long an open port is given to report an error, ms. */
  iceMs?: number;
}

/** Resolves with `run()`'s value, or 'timeout' / 'error'. */
async function settle<T>(run: (signal: AbortSignal) => Promise<T>, ms: number) {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout'); // first: the aborted fetch rejects at once, and must not win the race
      abort.abort();
    }, ms);
  });
  try {
    return await Promise.race([run(abort.signal), late]);
  } catch {
    return 'error' as const;
  } finally {
    clearTimeout(timer);
  }
}

type IceVerdict = 'lookup' | 'refused' | 'open' | undefined;

/**
 * 'lookup' (host not found), 'refused' (nothing listens), 'open', or undefined (cannot tell).
 * Two connections: Chromium reports a failed host lookup only for a STUN server (a TURN-over-TCP
 * server that does not resolve is just "failed to establish connection", like a refused port),
 * and gathers nothing for TURN while a STUN server is listed beside it.
 */
function iceProbe(
  host: string,
  port: string,
  PC: typeof RTCPeerConnection | undefined,
  ms: number,
): Promise<IceVerdict> {
  if (typeof PC !== 'function') return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const pcs: RTCPeerConnection[] = [];
    let refused = false;
    let settled = false;
    const done = (verdict: IceVerdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      for (const pc of pcs) {
        pc.onicecandidateerror = null;
        pc.close();
      }
      resolve(verdict);
    };
    const timer = setTimeout(() => done(refused ? 'refused' : 'open'), ms);
    let grace: ReturnType<typeof setTimeout> | undefined;
    const open = (server: RTCIceServer, onError: (text: string) => void) => {
      try {
        const pc = new PC({ iceServers: [server] });
        pcs.push(pc);
        pc.onicecandidateerror = (e) =>
          onError(String((e as RTCPeerConnectionIceErrorEvent).errorText ?? ''));
        pc.createDataChannel('probe');
        pc.createOffer()
          .then((offer) => pc.setLocalDescription(offer))
          .catch(() => done(undefined));
      } catch {
        done(undefined);
      }
    };
    open({ urls: `stun:${host}:${port}` }, (text) => {
      if (/lookup|resolv|dns/i.test(text)) done('lookup');
    });
    // a dummy account: the gateway is no TURN server; only whether TCP connects matters
    open(
      { urls: `turn:${host}:${port}?transport=tcp`, username: 'probe', credential: 'probe' },
      () => {
        refused = true;
        // a name that does not resolve fails here too: give the STUN lookup a moment to say so
        grace ??= setTimeout(() => done('refused'), 500);
      },
    );
  });
}

/**
 * Why the signalling WebSocket to `host:port` failed, as far as this page can tell; undefined
 * when it cannot tell (no fetch, not a browser). Takes up to about `timeoutMs + iceMs`.
 */
export async function probeConnection(
  host: string,
  port: string,
  env: ProbeEnvironment = {},
): Promise<IpoErrorDetails | undefined> {
  const g = globalThis as { fetch?: typeof fetch; location?: { origin?: string } };
  // outside a page (Node, a worker without location) there is no origin to speak of
  const f = env.fetch ?? (g.location ? g.fetch?.bind(globalThis) : undefined);
  if (!f || !host) return undefined;
  const url = `https://${host}:${port || '9443'}/`;
  const base = { url, host, origin: env.origin ?? g.location?.origin ?? '' };
  const ms = env.timeoutMs ?? 4000;
  const opts = { cache: 'no-store', credentials: 'omit' } as const;
  const reached = await settle((signal) => f(url, { ...opts, mode: 'no-cors', signal }), ms);
  if (reached === 'timeout') return { problem: 'unreachable', ...base };
  if (reached !== 'error') {
    const check = await settle(
      (signal) =>
        f(`${url}origin-check`, { ...opts, mode: 'cors', signal }).then(
          (r) => r.json() as Promise<{ allowed?: unknown }>,
        ),
      ms,
    );
    const denied = typeof check === 'object' && check.allowed === false;
    return { problem: denied ? 'origin-not-allowed' : 'refused', ...base };
  }
  const ice = await iceProbe(
    host,
    port || '9443',
    env.RTCPeerConnection ??
      (globalThis as { RTCPeerConnection?: typeof RTCPeerConnection }).RTCPeerConnection,
    env.iceMs ?? 2500,
  );
  const problem: IpoProblem =
    ice === 'lookup' ? 'host-not-found' : ice === 'open' ? 'certificate' : 'unreachable';
  return { problem, ...base };
}
