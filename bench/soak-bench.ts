/**
 * Bench part 6 — soak (`npm run bench soak`): call cycles in one Chromium page (two AWL clients
 * on the dev gateway; make, connect, drop, ended on both sides) and what they leave behind, read
 * through the DevTools protocol after a forced garbage collection: JS event listeners
 * (`Performance.getMetrics`), live RTCPeerConnection objects and live engine `Call` objects
 * (`Runtime.queryObjects` by prototype). Taken right after the last call ended: a dropped call
 * kept reachable by a pending timer (before issue 11: `Call.hangup` waited 10 s) shows here.
 * Chromium itself keeps some closed RTCPeerConnections (a pending state-change task) and stopped
 * getUserMedia results (a promise tracker) alive for a while; the SDK removes its listeners from
 * both, so they keep no call reachable and add no listener: the table shows them apart.
 */
import { readFile } from 'node:fs/promises';
import type { CDPSession, Page } from 'puppeteer-core';
import { launchChromium } from './browser.js';
import { ROOT, startGateway, table, writeResult } from './lib.js';

const PASSWORD = 'bench-soak-password';

interface Snapshot {
  listeners: number;
  peerConnections: number;
  /** of those, not closed (ours would be a leak; closed ones Chromium itself holds a while) */
  openPeerConnections: number;
  calls: number;
  heapKiB: number;
}

/** Live objects with the prototype `protoExpr` evaluates to; `filter` (page code) counts a subset. */
async function count(page: Page, protoExpr: string, filter = 'true'): Promise<number> {
  const proto = await page.evaluateHandle(protoExpr);
  try {
    if (!(await proto.evaluate((p) => !!p))) return 0;
    const objects = await page.queryObjects(proto as never);
    const n = await objects.evaluate(
      (a, f) => (a as unknown[]).filter((x) => new Function('x', `return ${f}`)(x)).length,
      filter,
    );
    await objects.dispose();
    return n;
  } finally {
    await proto.dispose();
  }
}

async function snapshot(page: Page, cdp: CDPSession): Promise<Snapshot> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? NaN;
  return {
    listeners: m('JSEventListeners'),
    peerConnections: await count(page, 'RTCPeerConnection.prototype'),
    openPeerConnections: await count(
      page,
      'RTCPeerConnection.prototype',
      "x.signalingState !== 'closed'",
    ),
    calls: await count(page, 'window.benchSoakCallProto'),
    heapKiB: Math.round(m('JSHeapUsedSize') / 1024),
  };
}

export async function runSoakBench(): Promise<void> {
  const cycles = Number(process.env.BENCH_SOAK_CALLS ?? 100);
  const warmup = 3;
  const gw = await startGateway([], { IPO_DEMO_PASSWORD: PASSWORD });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setBypassCSP(true); // the bench script is injected inline; the gateway's CSP forbids that
    await page.goto(`https://127.0.0.1:${gw.port}/`);
    await page.addScriptTag({ url: '/dist/awl.min.js' });
    await page.addScriptTag({ content: await readFile(`${ROOT}bench/soak.page.js`, 'utf8') });
    const cdp = await page.createCDPSession();
    await cdp.send('Performance.enable');
    await page.evaluate(`window.benchSoakLogin(${gw.port}, ${JSON.stringify(PASSWORD)})`);
    // warm-up: one-time listeners (devicechange, the first socket's) belong to the baseline
    await page.evaluate(`window.benchSoakCycle(${warmup})`);
    const before = await snapshot(page, cdp);
    const t0 = Date.now();
    const left = (await page.evaluate(`window.benchSoakCycle(${cycles})`)) as {
      callerCalls: number;
      calleeCalls: number;
    };
    const ms = Date.now() - t0;
    const after = await snapshot(page, cdp);
    await page.evaluate('window.benchSoakLogout()');
    const growth = (after.listeners - before.listeners) / cycles;
    const result = {
      cycles,
      warmup,
      durationMs: ms,
      before,
      after,
      listenerGrowthPerCycle: growth,
      callsInEngineTables: left,
      targets: { listenerGrowthPerCycle: 0, openPeerConnections: 0, calls: 0 },
    };
    const met = (ok: boolean) => (ok ? '(met)' : '(NOT met)');
    table(`Soak: ${cycles} call cycles (Chromium, two AWL clients, dev gateway on loopback)`, [
      ['duration (s)', (ms / 1000).toFixed(1)],
      [
        'JS event listeners before / after (growth per cycle; target 0)',
        `${before.listeners} / ${after.listeners} (${growth.toFixed(2)}) ${met(growth <= 0)}`,
      ],
      [
        'open RTCPeerConnection objects before / after (target 0)',
        `${before.openPeerConnections} / ${after.openPeerConnections} ${met(after.openPeerConnections === 0)}`,
      ],
      [
        '… closed ones still in the heap (held by Chromium, none of our listeners)',
        `${before.peerConnections} / ${after.peerConnections}`,
      ],
      [
        'live engine Call objects before / after (target 0)',
        `${before.calls} / ${after.calls} ${met(after.calls === 0)}`,
      ],
      [
        'calls left in the engine tables (caller / callee)',
        `${left.callerCalls} / ${left.calleeCalls}`,
      ],
      ['JS heap used before / after (KiB)', `${before.heapKiB} / ${after.heapKiB}`],
    ]);
    console.log(`  → ${await writeResult('soak', result)}`);
  } finally {
    await browser.close();
    await gw.stop();
  }
}
