/**
 * Child process of the hardening bench: the attack runs on its own event loop (and core), so the measuring
 * client's timings are the gateway's, not the attacker's. `flood`: 8 connections send
 * getGatewaySettings as fast as their sockets drain, reconnecting when the gateway closes them.
 * `passwords`: 4 connections pipeline wrong-password logins for 100 users, reconnecting likewise.
 */
import WebSocket from 'ws';
import { buildRequest } from '../src/protocol/index.js';

const { host, kind, localAddress, durationMs } = JSON.parse(process.argv[2]!) as {
  host: string;
  kind: 'flood' | 'passwords';
  localAddress: string;
  durationMs: number;
};
const stats = { sent: 0, answered: 0, closes: 0 };
const end = Date.now() + durationMs;

function open(): Promise<WebSocket | null> {
  const ws = new WebSocket(`wss://${host}/SignalGateway/connect`, ['jsonrpc', 'jsonrpc-3.0'], {
    rejectUnauthorized: false,
    localAddress,
  });
  return new Promise((ok) => {
    ws.once('open', () => ok(ws));
    ws.once('error', () => ok(null));
  });
}

const flood = buildRequest(
  'D11',
  'phoneservice',
  'getGatewaySettings',
  { type: 'all' } as never,
  'f',
);
let n = 0;
function login(): string {
  n++;
  return buildRequest(
    'D11',
    'phoneservice',
    'login',
    {
      applicationID: 'attack',
      applicationUA: 'attack',
      applicationInstanceID: 1,
      userID: String(10000 + (n % 100)),
      authType: 'password',
      password: `wrong-${n}`,
      authToken: null,
      bumpConnection: false,
    } as never,
    `a${n}`,
  );
}

async function connection(): Promise<void> {
  while (Date.now() < end) {
    const ws = await open();
    if (!ws) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    let closed = false;
    ws.on('message', () => stats.answered++);
    ws.once('close', () => (closed = true));
    ws.on('error', () => {});
    while (!closed && Date.now() < end) {
      if (kind === 'flood') {
        if (ws.bufferedAmount < 256 * 1024) {
          for (let i = 0; i < 50; i++) ws.send(flood);
          stats.sent += 50;
        }
        await new Promise((r) => setImmediate(r));
      } else {
        if (stats.sent - stats.answered < 400) {
          for (let i = 0; i < 40; i++) ws.send(login());
          stats.sent += 40;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    if (closed) stats.closes++;
    ws.terminate();
  }
}

await Promise.all(Array.from({ length: kind === 'flood' ? 8 : 4 }, connection));
process.send!(stats, () => process.exit(0));
