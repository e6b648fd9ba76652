/**
 * Fault-test helpers for the resiliency suites: gateway processes and a TCP proxy driven through
 * the web-test-runner fault kit (web-test-runner.config.mjs), clients pointed at them, and an RTP
 * watcher that measures the longest gap without received audio packets.
 */
import { executeServerCommand } from '@web/test-runner-commands';
import { TestClient, clients, rtp, type ClientOptions, type Ev } from './support.js';

export interface Gw {
  id: string;
  port: number;
}

export const gw = {
  start: (args: string[] = [], port?: number) =>
    executeServerCommand<Gw, unknown>('ipo-gw', { op: 'start', args, port }) as Promise<Gw>,
  kill: (g: Gw) => executeServerCommand('ipo-gw', { op: 'kill', id: g.id }),
  stop: (g: Gw) => executeServerCommand('ipo-gw', { op: 'stop', id: g.id }),
  restart: (g: Gw) =>
    executeServerCommand<Gw, unknown>('ipo-gw', { op: 'restart', id: g.id }) as Promise<Gw>,
  fault: (g: Gw, body: unknown) =>
    executeServerCommand('ipo-gw', { op: 'fault', id: g.id, body }) as Promise<{
      status: number;
      body: string;
    }>,
  health: async (g: Gw) =>
    JSON.parse(
      ((await executeServerCommand('ipo-gw', { op: 'health', id: g.id })) as { body: string }).body,
    ),
  ports: (n: number) => executeServerCommand('ipo-gw', { op: 'ports', n }) as Promise<number[]>,
};

export const proxy = {
  start: (target: number) =>
    executeServerCommand('ipo-proxy', { op: 'start', target }) as Promise<{
      id: string;
      port: number;
    }>,
  cut: (id: string) => executeServerCommand('ipo-proxy', { op: 'cut', id }),
  reset: (id: string) => executeServerCommand('ipo-proxy', { op: 'reset', id }),
  stop: (id: string) => executeServerCommand('ipo-proxy', { op: 'stop', id }),
};

/** A logged-in client whose Gateway is 127.0.0.1:`port`. */
export async function clientOn(
  user: string,
  port: number,
  extra: Record<string, unknown> = {},
  opts: ClientOptions = {},
): Promise<TestClient> {
  return TestClient.loggedIn(user, {
    label: `${user}@${port}`,
    ...opts,
    extra: { Gateway: { ip: '127.0.0.1', port: String(port) }, ...extra } as never,
  });
}

/** The registration results (without the prefix) recorded since `since`. */
export const results = (c: TestClient, since = 0): string[] =>
  c.all('reg', undefined, since).map((e) => String(e.args[0].result).replace('AWL_MSG_', ''));

/** Waits for a registration result. */
export const reg = (c: TestClient, result: string, since = 0, timeout = 15_000): Promise<Ev> =>
  c.waitFor('reg', (e) => e.args[0]?.result === `AWL_MSG_${result}`, {
    since,
    timeout,
    what: `AWL_MSG_${result}`,
  });

/** Logs out every client, whatever its state (also those reconnecting, which isLoggedIn() hides). */
export function logoutAll(): void {
  for (const c of clients()) c.client.logOut();
}

/**
 * Samples inbound audio packets on `pc` every 20 ms; `stop()` gives the longest time without a
 * new packet and the packet count gained.
 */
export function watchRtp(pc: RTCPeerConnection): {
  stop(): Promise<{ maxGapMs: number; gained: number }>;
} {
  let running = true;
  let maxGap = 0;
  let first = -1;
  let lastPackets = -1;
  let lastAt = performance.now();
  const loop = (async () => {
    while (running) {
      const s = await rtp(pc, 'audio');
      const now = performance.now();
      if (first < 0) first = s.packets;
      if (s.packets > lastPackets) {
        if (lastPackets >= 0) maxGap = Math.max(maxGap, now - lastAt);
        lastPackets = s.packets;
        lastAt = now;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    maxGap = Math.max(maxGap, performance.now() - lastAt);
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { maxGapMs: Math.round(maxGap), gained: lastPackets - first };
    },
  };
}
