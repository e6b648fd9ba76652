/**
 * Bench part — one phone across tabs (issue 13), in Chromium with the kit bundle against a real
 * gateway process: two tabs of one browser context open demo/shared-phone.html (`shared`,
 * `token-url` = the gateway's web-visitor route); the leader tab is closed while idle, and the
 * time until the other tab leads and is registered again (a token sign-in, no typing) is the
 * take-over time. The same without a token URL: the first tab logs in with a password, and the
 * next leader logs in with the session the old one handed over (a RESILIENCY token). Median of
 * several runs each (BENCH_SHARING_RUNS, default 5).
 */
import type { Browser, Page } from 'puppeteer-core';
import { launchChromium } from './browser.js';
import { median, startGateway, table, writeResult } from './lib.js';

const ENV = {
  IPO_DEMO_PASSWORD: 'bench-demo-password',
  IPO_TOKEN_SECRET: 'bench-token-secret-0123456789',
};

/** The shared session of a bench tab: shared-phone.html's, or the one a tab added (`#bench`). */
const state = (page: Page) =>
  page.evaluate(() => {
    const s = (
      (document.querySelector('#bench') ?? document.querySelector('ipo-session')) as unknown as {
        session?: { leader: boolean | null; snapshot: { registration: { state: string } } };
      }
    )?.session;
    return s ? { leader: s.leader, state: s.snapshot.registration.state } : null;
  });

type Variant = 'token' | 'password';

/** A tab of the group: shared-phone.html (token URL), or index.html plus `<ipo-session shared>`. */
async function openTab(browser: Browser, port: number, variant: Variant): Promise<Page> {
  const page = await browser.newPage();
  if (variant === 'token') {
    await page.goto(`https://127.0.0.1:${port}/shared-phone.html`);
    return page;
  }
  await page.goto(`https://127.0.0.1:${port}/index.html`);
  await page.waitForFunction(() => customElements.get('ipo-session') !== undefined);
  await page.evaluate(() => {
    const el = document.createElement('ipo-session');
    el.id = 'bench';
    el.setAttribute('app-id', 'ipo-bench');
    el.toggleAttribute('shared', true);
    document.body.append(el);
  });
  return page;
}

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
  const samples: Record<Variant, number[]> = { token: [], password: [] };
  try {
    for (let i = 0; i < runs * 2; i++) {
      const variant: Variant = i % 2 === 0 ? 'token' : 'password';
      const a = await openTab(browser, g.port, variant);
      if (variant === 'password')
        await a.evaluate(
          (pw) =>
            (
              document.querySelector('#bench') as unknown as {
                session: { login(u: string, p: string): Promise<void> };
              }
            ).session.login('201', pw),
          ENV.IPO_DEMO_PASSWORD,
        );
      await until(
        a,
        (s) => s?.leader === true && s.state === 'logged-in',
        'the first tab registered',
      );
      const b = await openTab(browser, g.port, variant);
      await until(
        b,
        (s) => s?.leader === false && s.state === 'logged-in',
        'the second tab following',
      );
      const t0 = Date.now();
      await a.close({ runBeforeUnload: false });
      await until(b, (s) => s?.leader === true && s.state === 'logged-in', 'the take-over');
      samples[variant].push(Date.now() - t0);
      await b.evaluate(() =>
        (
          (document.querySelector('#bench') ??
            document.querySelector('ipo-session')) as unknown as {
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
  const result = {
    runs,
    takeoverMs: { median: median(samples.token), samples: samples.token },
    passwordTakeoverMs: { median: median(samples.password), samples: samples.password },
  };
  table('One phone across tabs (Chromium, kit bundle, dev gateway on loopback)', [
    [
      'leader tab closed while idle → another tab leads and is registered (token sign-in), median ms (target ≤ 2000)',
      median(samples.token).toFixed(0),
    ],
    [
      'the same after a password login (the handed-over session token), median ms (target ≤ 2000)',
      median(samples.password).toFixed(0),
    ],
  ]);
  console.log(`  → ${await writeResult('sharing', result)}`);
}
