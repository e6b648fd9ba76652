/**
 * Bench part 1b — the gateway under attack (issue 10), default limits on:
 *  - a well-behaved client's request round trip (getGatewaySettings, median/p95) while 8
 *    connections from another IP (127.0.0.2) flood the gateway as fast as they can, reconnecting
 *    whenever they are closed;
 *  - password logins per second of legitimate users (127.0.0.1) while 4 sockets from 127.0.0.3
 *    pipeline wrong passwords for many users, and how many password checks the gateway ran.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { hashPassword, writeDirectoryFile } from '../src/gateway/directory.js';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from './gateway-capacity.js';
import { median, quantile, startGateway, table, writeResult, type GatewayProcess } from './lib.js';

const PASSWORD = 'bench-hardening-Pw-1';
const FLOOD_MS = Number(process.env.BENCH_FLOOD_MS ?? 5000);

async function withGateway<T>(users: number, run: (gw: GatewayProcess) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ipo-bench-'));
  const file = join(dir, 'users.json');
  const passwordHash = await hashPassword(PASSWORD);
  await writeDirectoryFile(file, {
    version: 1,
    users: Array.from({ length: users }, (_, i) => ({
      extension: String(10000 + i),
      name: `Bench ${i}`,
      passwordHash,
      profile: 'phone' as const,
    })),
  });
  const gw = await startGateway(['--directory', file], {});
  try {
    return await run(gw);
  } finally {
    await gw.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function loginParams(user: string, password: string) {
  return {
    applicationID: 'bench',
    applicationUA: 'bench',
    applicationInstanceID: 1,
    userID: user,
    authType: 'password',
    password,
    authToken: null,
    bumpConnection: false,
  };
}

/** Round trips of one getGatewaySettings after another, for `ms`. */
async function roundTrips(c: Client, ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const t0 = performance.now();
    const answer = c.wait('gatewaySettingsResponse');
    c.send('getGatewaySettings', { type: 'all' });
    const r = await answer;
    if (r.params.responseCode === '200') out.push(performance.now() - t0);
    await new Promise((ok) => setTimeout(ok, 10));
  }
  return out;
}

/** Runs an attack in a child process for `durationMs`; resolves with its counts. */
function attack(
  host: string,
  kind: 'flood' | 'passwords',
  localAddress: string,
  durationMs: number,
): Promise<{ sent: number; answered: number; closes: number }> {
  const child = fork(
    fileURLToPath(new URL('./attacker.ts', import.meta.url)),
    [JSON.stringify({ host, kind, localAddress, durationMs })],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  return new Promise((ok, ko) => {
    child.once('message', (m) => ok(m as { sent: number; answered: number; closes: number }));
    child.once('error', ko);
    child.once('exit', (code) => {
      if (code !== 0) ko(new Error(`bench attacker exited ${code}`));
    });
  });
}

async function floodBench() {
  return withGateway(4, async (gw) => {
    const good = await Client.open(gw.host);
    const r = good.wait('loginResponse');
    good.send('login', loginParams('10000', PASSWORD));
    if ((await r).params.responseCode !== '200') throw new Error('bench: login failed');
    const quiet = await roundTrips(good, 1500);
    const flooding = attack(gw.host, 'flood', '127.0.0.2', FLOOD_MS + 600);
    await new Promise((ok) => setTimeout(ok, 300)); // the flood is on
    const cpu0 = await gw.cpuSeconds();
    const loaded = await roundTrips(good, FLOOD_MS);
    const cpu = (await gw.cpuSeconds()) - cpu0;
    const stats = await flooding;
    good.ws.terminate();
    return {
      quietMedianMs: median(quiet),
      quietP95Ms: quantile(quiet, 0.95),
      floodMedianMs: median(loaded),
      floodP95Ms: quantile(loaded, 0.95),
      requests: loaded.length,
      floodFramesSent: stats.sent,
      floodCloses: stats.closes,
      gatewayCpuShare: cpu / (FLOOD_MS / 1000),
    };
  });
}

async function attackBench() {
  return withGateway(200, async (gw) => {
    const checks = async () => {
      const { request } = await import('node:https');
      return new Promise<number>((ok, ko) => {
        request(`https://${gw.host}/healthz`, { rejectUnauthorized: false }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => ok((JSON.parse(body) as { passwordChecks: number }).passwordChecks));
        })
          .on('error', ko)
          .end();
      });
    };
    const legit = async (ms: number) => {
      let n = 0;
      const latencies: number[] = [];
      const end = performance.now() + ms;
      while (performance.now() < end) {
        const c = await Client.open(gw.host);
        const t0 = performance.now();
        const r = c.wait('loginResponse');
        c.send('login', loginParams(String(10100 + (n % 100)), PASSWORD));
        const code = (await r).params.responseCode;
        latencies.push(performance.now() - t0);
        if (code !== '200') throw new Error(`bench: legitimate login refused (${String(code)})`);
        const out = c.wait('logoutResponse');
        c.send('logout', null);
        await out;
        c.ws.terminate();
        n++;
      }
      return {
        n,
        perSecond: n / (ms / 1000),
        medianMs: median(latencies),
        p95Ms: quantile(latencies, 0.95),
      };
    };
    const quiet = await legit(2000);
    const before = await checks();
    const attacking = attack(gw.host, 'passwords', '127.0.0.3', FLOOD_MS + 600);
    await new Promise((ok) => setTimeout(ok, 300));
    const attacked = await legit(FLOOD_MS);
    const { sent: attempts, answered } = await attacking;
    const checked = (await checks()) - before;
    return {
      quietLoginsPerSecond: quiet.perSecond,
      quietLoginMedianMs: quiet.medianMs,
      attackLoginsPerSecond: attacked.perSecond,
      attackLoginMedianMs: attacked.medianMs,
      attackLoginP95Ms: attacked.p95Ms,
      wrongPasswordsSent: attempts,
      attackAnswers: answered,
      passwordChecksOfAttack: checked - attacked.n, // every legitimate login is one check
      passwordChecksTotal: checked,
    };
  });
}

export async function runGatewayHardening(): Promise<void> {
  const f = await floodBench();
  table('Gateway under an 8-connection flood from another IP (default limits)', [
    [
      'well-behaved round trip, no flood: median / p95 (ms)',
      `${f.quietMedianMs.toFixed(2)} / ${f.quietP95Ms.toFixed(2)}`,
    ],
    [
      `well-behaved round trip, flood: median / p95 (ms, ${f.requests} requests)`,
      `${f.floodMedianMs.toFixed(2)} / ${f.floodP95Ms.toFixed(2)}`,
    ],
    [
      'flood frames sent / flood connections closed by the gateway',
      `${f.floodFramesSent} / ${f.floodCloses}`,
    ],
    ['gateway CPU during the flood (share of one core)', f.gatewayCpuShare],
  ]);
  console.log(`  → ${await writeResult('gateway-flood', f)}`);
  const a = await attackBench();
  table('Password logins under a pipelined wrong-password attack (4 sockets from another IP)', [
    ['legitimate logins per second, no attack', a.quietLoginsPerSecond],
    ['legitimate logins per second, attack', a.attackLoginsPerSecond],
    [
      'legitimate login median / p95 during the attack (ms)',
      `${a.attackLoginMedianMs.toFixed(1)} / ${a.attackLoginP95Ms.toFixed(1)}`,
    ],
    ['wrong passwords sent / answered', `${a.wrongPasswordsSent} / ${a.attackAnswers}`],
    [
      'password checks run for the attack (lock-out threshold: 20 per IP)',
      a.passwordChecksOfAttack,
    ],
  ]);
  console.log(`  → ${await writeResult('gateway-attack', a)}`);
}
