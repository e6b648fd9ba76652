/**
 * Bench part 3 — the kit (`npm run bench kit`): the one-file CDN build dist/ipo-webrtc-kit.js
 * (all elements + SDK + lit) by size; the time from the script's load to an interactive
 * <ipo-phone> on demo/index.html as served by the dev gateway (cold cache, a fresh browser
 * context per load); and how often <ipo-phone> re-renders during a connected call while the page
 * polls call statistics (it must not re-render on every stats poll or every second — the call
 * timer repaints its own text without a render).
 */
import { readFile } from 'node:fs/promises';
import { launchChromium } from './browser.js';
import { median, quantile, ROOT, startGateway, table, writeResult } from './lib.js';
import { bundleSizes } from './sdk-bench.js';

const PASSWORD = 'bench-kit-password';

interface LoadTiming {
  interactiveAt: number;
  scriptRequestStart: number;
  scriptResponseEnd: number;
  transferSize: number;
}

interface RenderCount {
  updates: number;
  mutations: number;
  timerMutations: number;
  changes: number;
  statsPolls: number;
  stillConnected: boolean;
  timerText: string | null;
  controlUpdatesOnMute: number;
}

/**
 * The bundle's output bytes per source folder (src/core/session, src/sdk/awl, node_modules/lit-html
 * …), largest first, from the metafile scripts/build.mjs writes next to the build.
 */
export async function bytesByFolder(bundle: string): Promise<{ folder: string; bytes: number }[]> {
  const path = `${ROOT}build/bundle-meta/${bundle}.json`;
  const meta = JSON.parse(await readFile(path, 'utf8')) as {
    outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
  };
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith('.js'));
  if (!output) throw new Error(`${path}: no .js output`);
  const sums = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output[1].inputs)) {
    const parts = input.split('/');
    // a package counts as one folder (node_modules/@scope/name), a source file by its directory
    const at = parts.lastIndexOf('node_modules');
    const folder =
      at >= 0
        ? parts.slice(0, at + (parts[at + 1]?.startsWith('@') ? 3 : 2)).join('/')
        : parts.slice(0, -1).join('/') || '.';
    sums.set(folder, (sums.get(folder) ?? 0) + bytesInOutput);
  }
  return [...sums]
    .map(([folder, bytes]) => ({ folder, bytes }))
    .filter((f) => f.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

export async function runKitBench(): Promise<void> {
  const loads = Math.max(10, Number(process.env.BENCH_KIT_LOADS ?? 15));
  const callMs = Number(process.env.BENCH_KIT_CALL_MS ?? 10_000);
  const pollMs = Number(process.env.BENCH_KIT_POLL_MS ?? 500);
  const sizes = await bundleSizes('dist/ipo-webrtc-kit.js');
  const pageScript = await readFile(`${ROOT}bench/kit.page.js`, 'utf8');
  const gw = await startGateway([], { IPO_DEMO_PASSWORD: PASSWORD });
  const browser = await launchChromium();
  try {
    const url = `https://127.0.0.1:${gw.port}/`;
    // 1. script load → interactive <ipo-phone>, cold cache each time
    const fromRequest: number[] = [];
    const fromLoaded: number[] = [];
    const fromNavigation: number[] = [];
    for (let i = 0; i < loads; i++) {
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        await page.evaluateOnNewDocument(pageScript);
        await page.goto(url, { waitUntil: 'load' });
        const t = (await page.evaluate('window.benchInteractive')) as LoadTiming;
        if (!Number.isFinite(t.scriptRequestStart))
          throw new Error(
            'no resource timing for /dist/ipo-webrtc-kit.js: is demo/index.html loading it?',
          );
        fromRequest.push(t.interactiveAt - t.scriptRequestStart);
        fromLoaded.push(t.interactiveAt - t.scriptResponseEnd);
        fromNavigation.push(t.interactiveAt);
      } finally {
        await context.close();
      }
    }

    // 2. re-renders of <ipo-phone> over a connected call with stats polling
    const a = await browser.newPage();
    const b = await browser.newPage();
    for (const p of [a, b]) {
      await p.evaluateOnNewDocument(pageScript);
      await p.goto(url, { waitUntil: 'load' });
      await p.evaluate('window.benchInteractive');
    }
    await a.evaluate(
      `window.benchUse(${JSON.stringify(gw.host)}, '201', ${JSON.stringify(PASSWORD)})`,
    );
    await b.evaluate(
      `window.benchUse(${JSON.stringify(gw.host)}, '202', ${JSON.stringify(PASSWORD)})`,
    );
    await b.evaluate('window.benchAnswerAll()');
    const renders = (await a.evaluate(
      `window.benchCallRenders('202', ${callMs}, ${pollMs})`,
    )) as RenderCount;
    if (!renders.stillConnected)
      throw new Error('the call did not stay connected during the re-render count');
    if (renders.controlUpdatesOnMute < 1)
      throw new Error(
        'the re-render counter saw no update when the call was muted: it counts nothing',
      );

    const folders = await bytesByFolder('ipo-webrtc-kit');
    const result = {
      kit: sizes,
      bytesByFolder: folders,
      targetGzipBytes: 30 * 1024,
      interactive: {
        loads,
        fromScriptRequest: { medianMs: median(fromRequest), p95Ms: quantile(fromRequest, 0.95) },
        fromScriptLoaded: { medianMs: median(fromLoaded), p95Ms: quantile(fromLoaded, 0.95) },
        fromNavigation: { medianMs: median(fromNavigation), p95Ms: quantile(fromNavigation, 0.95) },
      },
      rendersDuringCall: { callMs, statsPollMs: pollMs, ...renders },
    };
    const kib = (n: number) => (n / 1024).toFixed(2);
    table('Kit (dist/ipo-webrtc-kit.js: elements + SDK + lit; Chromium, dev gateway on loopback)', [
      [
        'min / gzip -9 / brotli q11 (bytes)',
        `${sizes.minBytes} / ${sizes.gzipBytes} / ${sizes.brotliBytes}`,
      ],
      [
        'min / gzip / brotli (KiB)',
        `${kib(sizes.minBytes)} / ${kib(sizes.gzipBytes)} / ${kib(sizes.brotliBytes)}`,
      ],
      [
        'gzip KiB vs target ≤ 30',
        `${kib(sizes.gzipBytes)} ${sizes.gzipBytes <= 30 * 1024 ? '(met)' : '(NOT met)'}`,
      ],
      [
        `script request → interactive <ipo-phone>, median / p95 (ms, ${loads} cold loads)`,
        `${median(fromRequest).toFixed(1)} / ${quantile(fromRequest, 0.95).toFixed(1)}`,
      ],
      [
        'script downloaded → interactive <ipo-phone>, median / p95 (ms)',
        `${median(fromLoaded).toFixed(1)} / ${quantile(fromLoaded, 0.95).toFixed(1)}`,
      ],
      [
        'navigation start → interactive <ipo-phone>, median (ms)',
        median(fromNavigation).toFixed(1),
      ],
      [`<ipo-phone> updates during a ${callMs / 1000} s connected call`, renders.updates],
      [`… with stats polled every ${pollMs} ms (polls)`, renders.statsPolls],
      ['… session change events in that time', renders.changes],
      ['… shadow-DOM mutations outside the call timer', renders.mutations],
      [
        '… call-timer text repaints (no render)',
        `${renders.timerMutations} (timer shows ${renders.timerText ?? '–'})`,
      ],
      ['control: updates after muting the call (must be ≥ 1)', renders.controlUpdatesOnMute],
    ]);
    const total = folders.reduce((sum, f) => sum + f.bytes, 0);
    table(
      `Kit bundle by source folder (minified bytes in dist/ipo-webrtc-kit.js, esbuild metafile; ${total} in all)`,
      folders.map((f) => [f.folder, `${f.bytes} (${((100 * f.bytes) / total).toFixed(1)} %)`]),
    );
    console.log(`  → ${await writeResult('kit', result)}`);
  } finally {
    await browser.close();
    await gw.stop();
  }
}
