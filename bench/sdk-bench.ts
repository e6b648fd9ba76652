/**
 * Bench part 2 — the SDK: call set-up time (makeCall → AWL_MSG_CALL_CONNECTED, the far end
 * answering at once) over real Chromium WebRTC against the dev gateway, once with no STUN server
 * and once with a STUN server that never answers (a silent UDP socket on loopback: the vendor
 * client waits its full 10 s there); and the size of dist/awl.min.js.
 */
import { createSocket } from 'node:dgram';
import { readFile } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { launchChromium } from './browser.js';
import { median, quantile, ROOT, startGateway, table, writeResult } from './lib.js';

const PASSWORD = 'bench-demo-password';

export async function bundleSizes(file: string) {
  const bytes = await readFile(`${ROOT}${file}`);
  return {
    file,
    minBytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
    brotliBytes: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
      .length,
  };
}

export async function runSdkBench(): Promise<void> {
  const calls = Number(process.env.BENCH_SETUP_CALLS ?? 30);
  const sizes = await bundleSizes('dist/awl.min.js');
  const silentStun = createSocket('udp4');
  await new Promise<void>((ok) => silentStun.bind(0, '127.0.0.1', ok));
  const stunPort = silentStun.address().port;
  let stunRequests = 0;
  silentStun.on('message', () => stunRequests++); // receives, never answers
  const gw = await startGateway([], { IPO_DEMO_PASSWORD: PASSWORD });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setBypassCSP(true); // the bench script is injected inline; the gateway's CSP forbids that
    await page.goto(`https://127.0.0.1:${gw.port}/`);
    await page.addScriptTag({ url: '/dist/awl.min.js' });
    // plain browser JavaScript, kept out of TypeScript so the transpiler adds no helpers to it
    await page.addScriptTag({ content: await readFile(`${ROOT}bench/call-setup.page.js`, 'utf8') });
    const run = (stun: number | null) =>
      page.evaluate(
        `window.benchCallSetup(${JSON.stringify({ port: gw.port, password: PASSWORD, calls, stunPort: stun })})`,
      ) as Promise<number[]>;
    const normal = await run(null);
    const unreachable = await run(stunPort);
    const result = {
      awlMin: sizes,
      callSetup: {
        calls,
        normal: { medianMs: median(normal), p95Ms: quantile(normal, 0.95) },
        unreachableStun: {
          medianMs: median(unreachable),
          p95Ms: quantile(unreachable, 0.95),
          stunRequestsSeen: stunRequests,
        },
      },
    };
    table('SDK (Chromium, fake devices, dev gateway on loopback)', [
      [
        'dist/awl.min.js min / gzip / brotli (bytes)',
        `${sizes.minBytes} / ${sizes.gzipBytes} / ${sizes.brotliBytes}`,
      ],
      ['gzip KiB (target ≤ 15; vendor 37.8)', (sizes.gzipBytes / 1024).toFixed(2)],
      [
        `call set-up median / p95 (ms, ${calls} calls)`,
        `${median(normal).toFixed(0)} / ${quantile(normal, 0.95).toFixed(0)}`,
      ],
      [
        `… with a silent STUN server (target median ≤ 1500; vendor ≥ 10000)`,
        `${median(unreachable).toFixed(0)} / ${quantile(unreachable, 0.95).toFixed(0)}`,
      ],
      ['STUN requests the silent server received', stunRequests],
    ]);
    console.log(`  → ${await writeResult('sdk', result)}`);
  } finally {
    await browser.close();
    await gw.stop();
    silentStun.close();
  }
}
