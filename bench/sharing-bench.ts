/**
 * Bench part — one phone across tabs (issue 13), in Chromium with the kit bundle against a real
 * gateway process: two tabs of one browser context open demo/shared-phone.html (`shared`,
 * `token-url` = the gateway's web-visitor route); the leader tab is closed while idle, and the
 * time until the other tab leads and is registered again (a token sign-in, no typing) is the
 * take-over time. Median of several runs (BENCH_SHARING_RUNS, default 5).
 */
import type { Page } from 'puppeteer-core';
import { launchChromium } from './browser.js';
import { median, startGateway, table, writeResult } from './lib.js';

const ENV = {
  IPO_DEMO_PASSWORD: 'bench-demo-password',
  IPO_TOKEN_SECRET: 'bench-token-secret-0123456789',
};

const state = (page: Page) =>
  page.evaluate(() => {
    const s = (
      document.querySelector('ipo-session') as unknown as {
        session?: { leader: boolean | null; snapshot: { registration: { state: string } } };
      }
    )?.session;
    return s ? { leader: s.leader, state: s.snapshot.registration.state } : null;
  });

async function until(
  page: Page,
  test: (s: Awaited<ReturnType<typeof state>>) => boolean,
  what: string,
  ms = 15_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await state(page);
    if (test(s)) return;
    if (Date.now() > deadline)
      throw new Error(`sharing bench: timed out waiting for ${what} (${JSON.stringify(s)})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function runSharingBench(): Promise<void> {
  const runs = Number(process.env.BENCH_SHARING_RUNS ?? 5);
  const g = await startGateway([], ENV);
  const browser = await launchChromium();
  const samples: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const url = `https://127.0.0.1:${g.port}/shared-phone.html`;
      const a = await browser.newPage();
      await a.goto(url);
      await until(
        a,
        (s) => s?.leader === true && s.state === 'logged-in',
        'the first tab registered',
      );
      const b = await browser.newPage();
      await b.goto(url);
      await until(
        b,
        (s) => s?.leader === false && s.state === 'logged-in',
        'the second tab following',
      );
      const t0 = Date.now();
      await a.close({ runBeforeUnload: false });
      await until(b, (s) => s?.leader === true && s.state === 'logged-in', 'the take-over');
      samples.push(Date.now() - t0);
      await b.evaluate(() =>
        (
          document.querySelector('ipo-session') as unknown as {
            session: { logout(): Promise<void> };
          }
        ).session.logout(),
      );
      await b.close();
    }
  } finally {
    await browser.close();
    await g.stop();
  }
  const result = { runs, takeoverMs: { median: median(samples), samples } };
  table('One phone across tabs (Chromium, kit bundle, dev gateway on loopback)', [
    [
      'leader tab closed while idle → another tab leads and is registered (token sign-in), median ms (target ≤ 2000)',
      median(samples).toFixed(0),
    ],
  ]);
  console.log(`  → ${await writeResult('sharing', result)}`);
}
