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
    brotliBytes: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Runs in the page: two AWL clients; the callee answers every call at once; returns ms per call. */
async function pageCallSetup(args: { port: number; password: string; calls: number; stunPort: number | null }): Promise<number[]> {
  type Cb = Record<string, (...a: unknown[]) => void>;
  const AWL = (window as unknown as { AWL: { client: new () => Record<string, (...a: unknown[]) => unknown> } }).AWL;
  const connectedWaiters = new Map<string, () => void>();
  const endedWaiters = new Map<string, () => void>();
  const make = (user: string, onIncoming?: (client: Record<string, (...a: unknown[]) => unknown>, callId: string) => void) =>
    new Promise<Record<string, (...a: unknown[]) => unknown>>((resolve, reject) => {
      const client = new AWL.client();
      const listener: Cb = {
        onNewIncomingCall: (callId) => onIncoming?.(client, callId as string),
        onCallStateChange: (callId, _obj, state) => {
          if (state === 'AWL_MSG_CALL_CONNECTED') connectedWaiters.get(callId as string)?.();
        },
        onCallTerminate: (callId) => endedWaiters.get(callId as string)?.(),
        onLoopBackNotification: () => undefined,
        onVideoStreamsAvailable: () => undefined,
        onAudioStreamsAvailable: () => undefined,
      };
      const cfg = {
        serviceType: 'phone',
        enableVideo: false,
        Gateway: { ip: '127.0.0.1', port: String(args.port) },
        Stunserver: { ip: args.stunPort ? '127.0.0.1' : '', port: String(args.stunPort ?? 3478) },
        Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
        AppData: { applicationID: 'bench', applicationUA: 'bench/1', appInstanceID: client.generateAppInstanceID() },
        disableResiliency: true,
      };
      client.setConfiguration(
        cfg,
        () => undefined,
        (r: { result: string; reason: string }) => {
          if (r.result === 'AWL_MSG_LOGIN_SUCCESS') resolve(client);
          else if (r.result !== 'AWL_MSG_LINK_ISSUE_DETECTED') reject(new Error(`${user}: ${r.result} ${r.reason}`));
        },
        listener,
      );
      client.logIn(user, args.password, true);
    });
  const caller = await make('201');
  const callee = await make('202', (client, callId) => client.answerCall(callId));
  const times: number[] = [];
  for (let i = 0; i < args.calls; i++) {
    const t0 = performance.now();
    const call = caller.makeCall('202', 'audio') as { getCallId(): string };
    const callId = call.getCallId();
    await new Promise<void>((resolve) => connectedWaiters.set(callId, resolve));
    times.push(performance.now() - t0);
    const ended = new Promise<void>((resolve) => endedWaiters.set(callId, resolve));
    caller.dropCall(callId);
    await ended;
  }
  caller.logOut();
  callee.logOut();
  return times;
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
    await page.goto(`https://127.0.0.1:${gw.port}/`);
    await page.addScriptTag({ url: '/dist/awl.min.js' });
    const normal = await page.evaluate(pageCallSetup, { port: gw.port, password: PASSWORD, calls, stunPort: null });
    const unreachable = await page.evaluate(pageCallSetup, { port: gw.port, password: PASSWORD, calls, stunPort });
    const result = {
      awlMin: sizes,
      callSetup: {
        calls,
        normal: { medianMs: median(normal), p95Ms: quantile(normal, 0.95) },
        unreachableStun: { medianMs: median(unreachable), p95Ms: quantile(unreachable, 0.95), stunRequestsSeen: stunRequests },
      },
    };
    table('SDK (Chromium, fake devices, dev gateway on loopback)', [
      ['dist/awl.min.js min / gzip / brotli (bytes)', `${sizes.minBytes} / ${sizes.gzipBytes} / ${sizes.brotliBytes}`],
      ['gzip KiB (target ≤ 15; vendor 37.8)', (sizes.gzipBytes / 1024).toFixed(2)],
      [`call set-up median / p95 (ms, ${calls} calls)`, `${median(normal).toFixed(0)} / ${quantile(normal, 0.95).toFixed(0)}`],
      [`… with a silent STUN server (target median ≤ 1500; vendor ≥ 10000)`, `${median(unreachable).toFixed(0)} / ${quantile(unreachable, 0.95).toFixed(0)}`],
      ['STUN requests the silent server received', stunRequests],
    ]);
    console.log(`  → ${await writeResult('sdk', result)}`);
  } finally {
    await browser.close();
    await gw.stop();
    silentStun.close();
  }
}
