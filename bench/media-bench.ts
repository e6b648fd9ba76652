/**
 * Bench part 5 — the gateway's media services: loopback network test RTT on loopback networking
 * (Chromium, the AWL SDK's createLoopBackConnection / getLoopBackStats through the relay), and the
 * CPU cost of relaying media: werift peers in this process push RTP through relay legs of a real
 * gateway process, whose CPU time (/proc/<pid>/stat) gives packets forwarded per CPU-second.
 */
import { readFile } from 'node:fs/promises';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader } from 'werift';
import { RawClient } from '../test/support/raw-client.js';
import { launchChromium } from './browser.js';
import { median, quantile, ROOT, startGateway, table, writeResult } from './lib.js';

const PASSWORD = 'bench-demo-password';
const OPUS = 111;

/** utime + stime of a process, in seconds. */
async function cpuSeconds(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; USER_HZ is 100 on Linux
}

function peer(): RTCPeerConnection {
  return new RTCPeerConnection({
    codecs: {
      audio: [
        new RTCRtpCodecParameters({
          mimeType: 'audio/opus',
          clockRate: 48000,
          channels: 2,
          payloadType: OPUS,
        }),
      ],
    },
    iceServers: [],
    iceUseIpv4: false,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    iceInterfaceAddresses: { udp4: '127.0.0.1' },
  });
}

/** One relay (loopback) call set up over the raw protocol; returns leg A's sender and a counter at B. */
async function relay(client: RawClient, n: number) {
  const a = peer();
  const b = peer();
  a.addTransceiver('audio', { direction: 'sendrecv' });
  b.addTransceiver('audio', { direction: 'sendrecv' });
  await a.setLocalDescription(await a.createOffer());
  await a.iceGatheringStateChange.watch((s) => s === 'complete', 3000).catch(() => undefined);
  const callId = `bench-${n}-${Date.now()}`;
  await client.request('makeCall', { target: '0', callId, sdp: a.localDescription!.sdp });
  const incoming = await client.next('IncomingCall', undefined, 10_000);
  await b.setRemoteDescription({ type: 'offer', sdp: incoming.params.sdp });
  await b.setLocalDescription(await b.createAnswer());
  const counter = { received: 0 };
  b.getTransceivers()[0]!.dtlsTransport.onRtp.subscribe(() => counter.received++);
  await client.request('answerCall', { callId, sdp: b.localDescription!.sdp });
  const connected = await client.nextFor('CallConnected', callId, 10_000);
  await a.setRemoteDescription({ type: 'answer', sdp: connected.params.sdp });
  await Promise.all(
    [a, b].map((pc) => pc.connectionStateChange.watch((s) => s === 'connected', 10_000)),
  );
  const transport = a.getTransceivers()[0]!.dtlsTransport;
  const ssrc = a.getTransceivers()[0]!.sender.ssrc;
  let seq = 0;
  const payload = Buffer.alloc(120, 7); // about an opus frame at 48 kbit/s
  return {
    counter,
    send(count: number) {
      for (let i = 0; i < count; i++) {
        seq = (seq + 1) & 0xffff;
        void transport.sendRtp(
          payload,
          new RtpHeader({ payloadType: OPUS, sequenceNumber: seq, timestamp: seq * 960, ssrc }),
        );
      }
    },
    async close() {
      await client.request('endCall', { callId });
      await Promise.all([a.close(), b.close()]);
    },
  };
}

export async function runMediaBench(): Promise<void> {
  const seconds = Number(process.env.BENCH_MEDIA_SECONDS ?? 10);
  const relays = Number(process.env.BENCH_MEDIA_RELAYS ?? 4);
  const ppsPerRelay = Number(process.env.BENCH_MEDIA_PPS ?? 500); // one direction, A → B
  const gw = await startGateway([], { IPO_DEMO_PASSWORD: PASSWORD });
  const browser = await launchChromium();
  try {
    // (a) the loopback network test in Chromium
    const page = await browser.newPage();
    await page.setBypassCSP(true);
    await page.goto(`https://127.0.0.1:${gw.port}/`);
    await page.addScriptTag({ url: '/dist/awl.min.js' });
    await page.addScriptTag({ content: await readFile(`${ROOT}bench/loopback.page.js`, 'utf8') });
    const lb = (await page.evaluate(
      `window.benchLoopback(${JSON.stringify({ port: gw.port, password: PASSWORD, seconds })})`,
    )) as {
      connectMs: number;
      rtts: number[];
      last: Record<string, unknown>;
      notes: string[];
    };
    await browser.close();

    // (b) CPU per forwarded packet in the gateway process
    const url = `wss://127.0.0.1:${gw.port}/SignalGateway/connect`;
    const clients: RawClient[] = [];
    const legs: Array<Awaited<ReturnType<typeof relay>>> = [];
    for (let i = 0; i < relays; i++) {
      // one relay session per extension (a session may hold 3 test calls)
      const client = await RawClient.connect(url, {
        origin: `https://127.0.0.1:${gw.port}`,
        service: 'relayservice',
      });
      await client.login(String(202 + (i % 5)), { password: PASSWORD, bump: true });
      clients.push(client);
      legs.push(await relay(client, i));
    }
    const pid = gw.proc.pid!;
    const before = legs.map((l) => l.counter.received);
    const cpu0 = await cpuSeconds(pid);
    const t0 = performance.now();
    const perTick = Math.max(1, Math.round(ppsPerRelay / 50));
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        for (const l of legs) l.send(perTick);
        if (performance.now() - t0 >= seconds * 1000) {
          clearInterval(timer);
          done();
        }
      }, 20);
    });
    await new Promise((r) => setTimeout(r, 200)); // the last packets in flight
    const wall = (performance.now() - t0) / 1000;
    const cpu = (await cpuSeconds(pid)) - cpu0;
    const forwarded = legs.reduce((sum, l, i) => sum + l.counter.received - before[i]!, 0);
    const sent = Math.round(legs.length * perTick * 50 * seconds);
    for (const l of legs) await l.close();
    for (const c of clients) await c.dispose();

    const result = {
      loopback: {
        seconds,
        connectMs: lb.connectMs,
        rttMedianMs: median(lb.rtts),
        rttP95Ms: quantile(lb.rtts, 0.95),
        samples: lb.rtts.length,
        totPSent: lb.last.totPSent,
        totPlossPercent: lb.last.totPlossPercent,
        notifications: lb.notes,
      },
      relayCpu: {
        relays: legs.length,
        offeredPps: sent / seconds,
        forwardedPps: forwarded / wall,
        delivered: forwarded / sent,
        gatewayCpuSeconds: cpu,
        cpuShare: cpu / wall,
        packetsPerCpuSecond: forwarded / cpu,
      },
    };
    table('Media services (Chromium + werift, dev gateway on loopback)', [
      ['loopback test: createLoopBackConnection → SUCCESSFULL (ms)', lb.connectMs.toFixed(0)],
      [
        `loopback RTT median / p95 (ms, ${lb.rtts.length} one-second samples)`,
        `${median(lb.rtts).toFixed(1)} / ${quantile(lb.rtts, 0.95).toFixed(1)}`,
      ],
      [
        'loopback packets sent / loss % at the end',
        `${String(lb.last.totPSent)} / ${String(lb.last.totPlossPercent)}`,
      ],
      [`relay: ${legs.length} legs pairs, offered packets/s`, (sent / seconds).toFixed(0)],
      [
        'relay: forwarded packets/s (delivered share)',
        `${(forwarded / wall).toFixed(0)} (${((forwarded / sent) * 100).toFixed(1)} %)`,
      ],
      ['relay: gateway CPU (share of one core)', `${((cpu / wall) * 100).toFixed(1)} %`],
      ['relay: packets forwarded per gateway CPU-second', (forwarded / cpu).toFixed(0)],
    ]);
    console.log(`  → ${await writeResult('media', result)}`);
  } finally {
    await browser.close().catch(() => undefined);
    await gw.stop();
  }
}
