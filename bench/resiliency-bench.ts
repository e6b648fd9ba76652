/**
 * Bench part 4 — resiliency (issue 5), in Chromium with the AWL SDK against real gateway processes:
 * - `kill -9` of the primary of an HA pair → AWL_MSG_FAIL_OVER_SUCCESS on the backup;
 * - a silent socket cut (a TCP proxy that stops forwarding, sockets left open) →
 *   AWL_MSG_LINK_ISSUE_DETECTED;
 * - the audio interruption across a signalling reconnect with call resume (the proxy resets the
 *   socket mid-call): the longest time without a new received audio packet, next to the same
 *   measure over a quiet window (the stats resolution).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { launchChromium } from './browser.js';
import { median, ROOT, startGateway, table, writeResult, type GatewayProcess } from './lib.js';

const PASSWORD = 'bench-demo-password';
const ENV = { IPO_DEMO_PASSWORD: PASSWORD, IPO_TOKEN_SECRET: 'bench-token-secret-0123456789' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function health(port: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    request(`https://127.0.0.1:${port}/healthz`, { rejectUnauthorized: false }, (res) => {
      let t = '';
      res.on('data', (d) => (t += d));
      res.on('end', () => resolve(JSON.parse(t) as Record<string, unknown>));
    })
      .on('error', reject)
      .end();
  });
}

/** A TCP proxy to `target`; `cut()` stops forwarding without closing, `reset()` destroys every socket. */
async function tcpProxy(
  target: number,
): Promise<{ port: number; cut(): void; reset(): void; close(): Promise<void> }> {
  const pairs: Array<[Socket, Socket]> = [];
  let cut = false;
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    pairs.push([client, upstream]);
    client.on('data', (d) => cut || upstream.write(d));
    upstream.on('data', (d) => cut || client.write(d));
    const end = () => (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    cut: () => void (cut = true),
    reset: () => {
      for (const [c, u] of pairs.splice(0)) (c.resetAndDestroy(), u.destroy());
    },
    close: () =>
      new Promise<void>(
        (r) => (server.close(() => r()), pairs.forEach(([c, u]) => (c.destroy(), u.destroy()))),
      ),
  };
}

export async function runResiliencyBench(): Promise<void> {
  const runs = Number(process.env.BENCH_RESILIENCY_RUNS ?? 3);
  const browser = await launchChromium();
  const failover: number[] = [];
  const detect: number[] = [];
  const gaps: number[] = [];
  const quiet: number[] = [];
  const helper = await readFile(`${ROOT}bench/resiliency.page.js`, 'utf8');
  const newPage = async (port: number) => {
    const page = await browser.newPage();
    await page.setBypassCSP(true);
    await page.goto(`https://127.0.0.1:${port}/`);
    await page.addScriptTag({ content: helper });
    await page.addScriptTag({ url: '/dist/awl.min.js' });
    return page;
  };
  const procs: GatewayProcess[] = [];
  try {
    // 1. kill -9 of the primary → FAIL_OVER_SUCCESS
    for (let i = 0; i < runs; i++) {
      const [pp, sp] = [await freePort(), await freePort()];
      const s = await startGateway(
        ['--port', String(sp), '--role', 'secondary', '--peer', `127.0.0.1:${pp}`],
        ENV,
      );
      const p = await startGateway(
        ['--port', String(pp), '--role', 'primary', '--peer', `127.0.0.1:${sp}`],
        ENV,
      );
      procs.push(s, p);
      for (let t = 0; t < 200 && (await health(sp)).state !== 'passive'; t++)
        await new Promise((r) => setTimeout(r, 50));
      const page = await newPage(pp);
      await page.evaluate(
        `rbClient(${JSON.stringify({ label: 'a', port: pp, user: '201', password: PASSWORD })})`,
      );
      const since = (await page.evaluate(`rbMark('a')`)) as number;
      const t0 = Date.now();
      p.proc.kill('SIGKILL');
      const at = (await page.evaluate(
        `rbWait('a', 'AWL_MSG_FAIL_OVER_SUCCESS', ${since})`,
      )) as number;
      failover.push(at - t0);
      await page.close();
      await s.stop();
    }
    // 2. silent cut → LINK_ISSUE_DETECTED
    const g = await startGateway([], ENV);
    procs.push(g);
    for (let i = 0; i < runs; i++) {
      const px = await tcpProxy(g.port);
      const page = await newPage(g.port);
      await page.evaluate(
        `rbClient(${JSON.stringify({ label: 'a', port: px.port, user: '202', password: PASSWORD })})`,
      );
      const since = (await page.evaluate(`rbMark('a')`)) as number;
      const t0 = Date.now();
      px.cut();
      const at = (await page.evaluate(
        `rbWait('a', 'AWL_MSG_LINK_ISSUE_DETECTED', ${since})`,
      )) as number;
      detect.push(at - t0);
      await page.evaluate(`rbClients.a.client.logOut()`);
      await page.close();
      await px.close();
    }
    // 3. audio across a reconnect with call resume
    for (let i = 0; i < runs; i++) {
      const px = await tcpProxy(g.port);
      const page = await newPage(g.port);
      await page.evaluate(
        `rbClient(${JSON.stringify({ label: 'a', port: px.port, user: '203', password: PASSWORD })})`,
      );
      await page.evaluate(
        `rbClient(${JSON.stringify({ label: 'b', port: g.port, user: '204', password: PASSWORD })})`,
      );
      await page.evaluate(`rbCall('a', '204')`);
      await new Promise((r) => setTimeout(r, 1500)); // audio settles
      await page.evaluate('rbGap()');
      await new Promise((r) => setTimeout(r, 1500));
      quiet.push(((await page.evaluate('rbGapStop()')) as { maxGapMs: number }).maxGapMs);
      await page.evaluate('rbGap()');
      const since = (await page.evaluate(`rbMark('a')`)) as number;
      px.reset();
      await page.evaluate(`rbWait('a', 'AWL_MSG_RELOGGED_IN', ${since})`);
      await new Promise((r) => setTimeout(r, 1500));
      const { maxGapMs, packets } = (await page.evaluate('rbGapStop()')) as {
        maxGapMs: number;
        packets: number;
      };
      if (!packets) throw new Error('no audio packets during the reconnect window');
      gaps.push(maxGapMs);
      await page.evaluate(`rbClients.a.client.logOut(); rbClients.b.client.logOut()`);
      await page.close();
      await px.close();
    }
  } finally {
    await browser.close();
    for (const p of procs)
      if (p.proc.exitCode === null && p.proc.signalCode === null) await p.stop();
  }
  const result = {
    runs,
    failoverMs: { median: median(failover), samples: failover },
    linkIssueMs: { median: median(detect), samples: detect },
    audioGapAcrossReconnectMs: { median: median(gaps), samples: gaps },
    audioGapQuietWindowMs: { median: median(quiet), samples: quiet },
  };
  table('Resiliency (Chromium + AWL SDK, dev gateway processes on loopback, default timers)', [
    [
      `kill -9 of the primary → FAIL_OVER_SUCCESS, median ms (target ≤ 5000; vendor ≈ 180000)`,
      median(failover).toFixed(0),
    ],
    [
      `silent socket cut → LINK_ISSUE_DETECTED, median ms (target ≤ 10000; vendor ≈ 190000)`,
      median(detect).toFixed(0),
    ],
    [
      'longest gap without received audio, across a reconnect with call resume, median ms',
      median(gaps).toFixed(0),
    ],
    [
      '… the same measure over a quiet 1.5 s window (stats resolution), median ms',
      median(quiet).toFixed(0),
    ],
  ]);
  console.log(`  → ${await writeResult('resiliency', result)}`);
}
