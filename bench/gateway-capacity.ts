/**
 * Bench part 1 — gateway capacity: how many logged-in sessions the dev gateway holds, how fast
 * they log in, memory per session, and call set-ups per second through the gateway (makeCall →
 * IncomingCall → answerCall → CallConnected → endCall → CallDisconnected), with raw clients on
 * loopback. Users log in with ESNA tokens so scrypt cost does not dominate the login figure.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { buildRequest, KEEPALIVE_FRAME, type RequestName } from '../src/protocol/index.js';
import { TokenService } from '../src/gateway/auth.js';
import { hashPassword, writeDirectoryFile } from '../src/gateway/directory.js';
import { runGatewayHardening } from './gateway-hardening.js';
import { median, quantile, startGateway, table, writeResult } from './lib.js';

const SECRET = 'bench-token-secret-0123456789';
/** Every session of the bench comes from 127.0.0.1: the per-IP and per-connection limits are off. */
export const LIMITS_OFF = [
  '--max-rate',
  '1000000',
  '--max-ip-rate',
  '0',
  '--max-connections-per-ip',
  '0',
  '--login-timeout',
  '0',
];
const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n';

type Frame = { msgname: string; params: Record<string, unknown> };

export class Client {
  #waiters = new Map<string, Array<(f: Frame) => void>>();
  #n = 0;
  onIncoming?: (f: Frame) => void;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      if (text === KEEPALIVE_FRAME) return;
      const f = JSON.parse(text) as Frame;
      if (f.msgname === 'IncomingCall' && this.onIncoming) return this.onIncoming(f);
      const key = `${f.msgname}|${(f.params.callId as string | undefined) ?? ''}`;
      const list = this.#waiters.get(key) ?? this.#waiters.get(`${f.msgname}|`);
      list?.shift()?.(f);
    });
  }
  static open(host: string, localAddress?: string): Promise<Client> {
    const ws = new WebSocket(`wss://${host}/SignalGateway/connect`, ['jsonrpc', 'jsonrpc-3.0'], {
      rejectUnauthorized: false,
      ...(localAddress ? { localAddress } : {}),
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }
  send(msgname: RequestName, params: unknown): void {
    this.ws.send(buildRequest('D11', 'phoneservice', msgname, params as never, `b${this.#n++}`));
  }
  wait(msgname: string, callId = ''): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const key = `${msgname}|${callId}`;
      const timer = setTimeout(() => reject(new Error(`bench: no ${msgname} in 10 s`)), 10_000);
      const list = this.#waiters.get(key) ?? [];
      list.push((f) => (clearTimeout(timer), resolve(f)));
      this.#waiters.set(key, list);
    });
  }
}

export async function gatewayCapacity(opts: { sessions: number; pairs: number; calls: number }) {
  const dir = await mkdtemp(join(tmpdir(), 'ipo-bench-'));
  const file = join(dir, 'users.json');
  const passwordHash = await hashPassword('bench-unused-password');
  const users = Array.from({ length: opts.sessions }, (_, i) => ({
    extension: String(10000 + i),
    name: `Bench ${i}`,
    passwordHash,
    profile: 'phone' as const,
  }));
  await writeDirectoryFile(file, { version: 1, users });
  const gw = await startGateway(['--directory', file, ...LIMITS_OFF], {
    IPO_TOKEN_SECRET: SECRET,
  });
  const tokens = new TokenService(SECRET);
  const clients: Client[] = [];
  try {
    const rssIdle = await gw.rssKiB();
    const loginStart = performance.now();
    const batch = 50;
    for (let i = 0; i < opts.sessions; i += batch) {
      await Promise.all(
        users.slice(i, i + batch).map(async (u, j) => {
          const c = await Client.open(gw.host);
          const answer = c.wait('loginResponse');
          c.send('login', {
            applicationID: 'bench',
            applicationUA: 'bench',
            applicationInstanceID: 1,
            userID: u.extension,
            authType: 'token',
            password: ' ',
            authToken: {
              type: 'esna',
              token: tokens.issue({ sub: u.extension, typ: 'esna' }).token,
            },
            bumpConnection: false,
          });
          const r = await answer;
          if (r.params.responseCode !== '200')
            throw new Error(`login ${u.extension}: ${String(r.params.responseString)}`);
          clients[i + j] = c;
        }),
      );
    }
    const loginSeconds = (performance.now() - loginStart) / 1000;
    const rssLoaded = await gw.rssKiB();

    // Call set-ups: `pairs` caller/callee pairs run calls back to back; callees answer at once.
    const pairs = Math.min(opts.pairs, Math.floor(clients.length / 2));
    for (let p = 0; p < pairs; p++) {
      const callee = clients[2 * p + 1]!;
      callee.onIncoming = (f) => callee.send('answerCall', { callId: f.params.callId, sdp: SDP });
    }
    const latencies: number[] = [];
    const perPair = Math.ceil(opts.calls / pairs);
    const cpuStart = await gw.cpuSeconds();
    const callStart = performance.now();
    await Promise.all(
      Array.from({ length: pairs }, async (_, p) => {
        const caller = clients[2 * p]!;
        const target = users[2 * p + 1]!.extension;
        for (let k = 0; k < perPair; k++) {
          const callId = `bench-${p}-${k}`;
          const t0 = performance.now();
          const connected = caller.wait('CallConnected', callId);
          caller.send('makeCall', { target, callId, sdp: SDP });
          await connected;
          latencies.push(performance.now() - t0);
          const gone = caller.wait('CallDisconnected', callId);
          caller.send('endCall', { callId });
          await gone;
        }
      }),
    );
    const callSeconds = (performance.now() - callStart) / 1000;
    const callCpuSeconds = (await gw.cpuSeconds()) - cpuStart;
    const result = {
      sessions: clients.length,
      loginsPerSecond: clients.length / loginSeconds,
      rssIdleMiB: rssIdle / 1024,
      rssLoadedMiB: rssLoaded / 1024,
      kibPerSession: (rssLoaded - rssIdle) / clients.length,
      callPairs: pairs,
      calls: latencies.length,
      callSetupsPerSecond: latencies.length / callSeconds,
      callCpuSeconds,
      /** full cycles (makeCall … CallDisconnected) per second of gateway CPU */
      callCyclesPerCpuSecond: latencies.length / Math.max(callCpuSeconds, 0.01),
      setupMedianMs: median(latencies),
      setupP95Ms: quantile(latencies, 0.95),
    };
    return result;
  } finally {
    for (const c of clients) c.ws.terminate();
    await gw.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runGatewayCapacity(): Promise<void> {
  const sessions = Number(process.env.BENCH_SESSIONS ?? 1000);
  const r = await gatewayCapacity({
    sessions,
    pairs: 20,
    calls: Number(process.env.BENCH_CALLS ?? 2000),
  });
  table('Gateway capacity (raw D11 clients on loopback, one gateway process)', [
    ['sessions held', r.sessions],
    ['logins per second (token)', r.loginsPerSecond],
    [
      'gateway RSS idle / loaded (MiB)',
      `${r.rssIdleMiB.toFixed(1)} / ${r.rssLoadedMiB.toFixed(1)}`,
    ],
    ['memory per session (KiB)', r.kibPerSession],
    ['call set-ups per second', r.callSetupsPerSecond],
    [
      `set-up latency median / p95 (ms, ${r.calls} calls, ${r.callPairs} pairs)`,
      `${r.setupMedianMs.toFixed(2)} / ${r.setupP95Ms.toFixed(2)}`,
    ],
  ]);
  console.log(`  → ${await writeResult('gateway-capacity', r)}`);

  // gateway cost that grows with sessions: call cycles per gateway CPU-second (issue 10)
  const scaling: Array<{ sessions: number; cyclesPerCpuSecond: number; calls: number }> = [];
  for (const n of [100, 1000, 5000]) {
    const x =
      n === sessions
        ? r
        : await gatewayCapacity({
            sessions: n,
            pairs: 20,
            calls: Number(process.env.BENCH_CALLS ?? 2000),
          });
    scaling.push({ sessions: n, cyclesPerCpuSecond: x.callCyclesPerCpuSecond, calls: x.calls });
  }
  const best = Math.max(...scaling.map((x) => x.cyclesPerCpuSecond));
  const worst = Math.min(...scaling.map((x) => x.cyclesPerCpuSecond));
  table('Call cycles per gateway CPU-second, by sessions held (sessions indexed by extension)', [
    ...scaling.map((x): [string, number] => [
      `${x.sessions} sessions (${x.calls} calls)`,
      x.cyclesPerCpuSecond,
    ]),
    ['spread (worst vs best)', `${(100 * (1 - worst / best)).toFixed(1)} %`],
  ]);
  console.log(`  → ${await writeResult('gateway-scaling', { scaling })}`);
  await runGatewayHardening();
}
