/**
 * The standing frame fuzzer of the dev gateway (issue 10): a seeded, bounded stream of hostile
 * frames — every request type, wrong types, missing and extra fields, prototype keys, huge
 * strings, deep nesting, binary and empty frames, frames before login, other sessions' callIds —
 * sent over real sockets while two clients keep a call and toggle hold.
 *
 * Each frame goes out on its own once the previous one is answered, so every answer can be
 * checked: exactly one `…Response` (or `errorResponse`) per frame, echoing a readable id, naming
 * the request's own response when the msgname is known, carrying the request's callId when it
 * carries one — or, for a frame over `--max-frame`, the socket closed with 1009. Afterwards the
 * process is alive and the call is untouched (no event for it but the hold toggles, and it
 * still ends normally).
 */
import assert from 'node:assert/strict';
import { RESPONSE_OF } from '../../src/protocol/index.js';
import { connectCall, expectDisconnected, expectResponse, fakeSdp } from './calls.js';
import { TokenService } from '../../src/gateway/auth.js';
import { TEST_ENV, type Gateway } from './gateway.js';
import { RawClient, type Env } from './raw-client.js';

/** The gateway the fuzzer runs against: no rate limits (answers, not 429s), no login deadline. */
export const FUZZ_GATEWAY_ARGS = [
  '--max-rate',
  '1000000',
  '--max-ip-rate',
  '0',
  '--login-timeout',
  '0',
  '--call-resume-grace',
  '0',
];

/** Deterministic PRNG (mulberry32): the same seed gives the same frames. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REQUESTS = Object.keys(RESPONSE_OF);
const PROTO_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
];
const FIELDS = [
  'callId',
  'sdp',
  'target',
  'type',
  'userID',
  'token',
  'password',
  'authType',
  'authToken',
  'applicationInstanceID',
  'bumpConnection',
  'ext',
  'resumeCalls',
];

export interface FuzzFrame {
  data: string | Buffer;
  /** the id the answer must echo (a readable string id), if any */
  id?: string;
  /** the request's msgname when it is a known request */
  request?: string;
  /** the callId the answer must carry when it carries one */
  callId?: string;
  /** over --max-frame: the answer is a close with 1009 */
  tooBig: boolean;
}

export interface FuzzOptions {
  frames: number;
  seed: number;
  /** the gateway's --max-frame */
  maxFrame: number;
  /** progress callback every 500 frames */
  progress?: (done: number) => void;
}

export interface FuzzReport {
  frames: number;
  answered: number;
  closes1009: number;
  reconnects: number;
  holdToggles: number;
  byResponse: Record<string, number>;
}

class Gen {
  n = 0;
  constructor(
    readonly r: () => number,
    readonly callIds: () => string[],
    readonly maxFrame: number,
  ) {}
  int(max: number): number {
    return Math.floor(this.r() * max);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  str(): string {
    const kinds = [
      () => '',
      () => ' ',
      () => 'x'.repeat(1 + this.int(40)),
      () => 'é✓\u0000\u202e<script>'.repeat(1 + this.int(4)),
      () => 'y'.repeat(2000 + this.int(70_000)), // huge, usually under --max-frame
      () => this.pick(PROTO_KEYS),
      () => this.pick(['201', '202', '203', '204', '9999', '8000', '-1', '0']),
      () => this.pick(this.callIds().length ? this.callIds() : ['none']),
      () => fakeSdp(),
    ];
    return this.pick(kinds)();
  }
  /** Deep nesting, as JSON text spliced in after stringify (JSON.stringify itself would overflow). */
  raws: string[] = [];
  nested(depth: number): unknown {
    const array = this.chance(0.5);
    const raw = array
      ? '['.repeat(depth) + '1' + ']'.repeat(depth)
      : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    this.raws.push(raw);
    return `\u0001raw${this.raws.length - 1}\u0001`;
  }
  stringify(v: unknown): string {
    const text = JSON.stringify(v).replace(
      /"\\u0001raw(\d+)\\u0001"/g,
      (_m, n: string) => this.raws[Number(n)]!,
    );
    this.raws = [];
    return text;
  }
  value(): unknown {
    const kinds = [
      () => this.str(),
      () => this.int(1e9) - 5e8,
      () => this.r() * 1e308,
      () => this.chance(0.5),
      () => null,
      () => [],
      () => ({}),
      () => [this.str(), this.int(9)],
      () => this.nested(1 + this.int(5000)),
      () => ({ [this.pick(PROTO_KEYS)]: { polluted: true } }),
    ];
    return this.pick(kinds)();
  }
  params(msgname: string): unknown {
    if (this.chance(0.08)) return this.value(); // not an object at all
    const p: Record<string, unknown> = {};
    const good = this.plausible(msgname);
    for (const [k, v] of Object.entries(good)) {
      if (this.chance(0.15)) continue; // missing
      p[k] = this.chance(0.25) ? this.value() : v; // wrong type
    }
    for (let i = this.int(3); i > 0; i--) p[this.pick([...FIELDS, ...PROTO_KEYS])] = this.value(); // extra
    if (this.chance(0.05))
      Object.defineProperty(p, '__proto__', { value: { x: 1 }, enumerable: true });
    return p;
  }
  plausible(msgname: string): Record<string, unknown> {
    const callId =
      this.chance(0.5) && this.callIds().length ? this.pick(this.callIds()) : `fz-${this.n}`;
    switch (msgname) {
      case 'login':
        return {
          applicationID: 'fuzz',
          applicationUA: 'fuzz/1',
          applicationInstanceID: this.int(10),
          userID: this.pick(['203', '204', '9999', '']), // never the two users holding the call
          authType: this.pick(['password', 'token', 'x']),
          password: this.pick(['wrong-Pw-fuzz', ' ', '']),
          authToken: this.chance(0.5)
            ? null
            : { type: this.pick(['session', 'esna', 'X']), token: 'v1.a.b' },
          bumpConnection: this.pick([false, 'false', 0]),
          ...(this.chance(0.2) ? { ext: { callResume: true, resumeCalls: callId } } : {}),
        };
      case 'getGatewaySettings':
        return { type: 'all' };
      case 'logout':
        return {};
      case 'renewToken':
        return { userID: '203', token: 'v1.x.y', applicationInstanceID: 1 };
      case 'makeCall':
        return { target: this.pick(['204', '205', '9999', '203']), callId, sdp: fakeSdp() };
      case 'transferCall':
        return { callId, target: '204', type: this.pick(['unAttended', 'attended', 'x']) };
      case 'answerCall':
      case 'answerEarlyMedia':
      case 'acceptMediaUpdateRequest':
      case 'updateMedia':
        return { callId, sdp: fakeSdp('answer') };
      default:
        return { callId };
    }
  }
  frame(protocol: string, service: string): FuzzFrame {
    this.n++;
    const roll = this.r();
    if (roll < 0.03) return { data: Buffer.from([0, 1, 2, this.int(255)]), tooBig: false };
    if (roll < 0.05)
      return {
        data: this.pick(['', 'keepalive', '{', '[]', 'null', '"x"', '1e999']),
        tooBig: false,
      };
    if (roll < 0.06) {
      const data = JSON.stringify({
        protocol,
        id: `big-${this.n}`,
        service,
        msgname: 'makeCall',
        params: { sdp: 'z'.repeat(this.maxFrame + 10) },
      });
      return { data, tooBig: true };
    }
    const msgname = this.chance(0.9)
      ? this.pick(REQUESTS)
      : this.pick([...PROTO_KEYS, 'CallConnected', 'loginResponse', '', 'dial']);
    const idOk = this.chance(0.9);
    const id = idOk ? `fz-${this.n}-${this.int(1e6)}` : this.value();
    const env: Record<string, unknown> = {
      protocol: this.chance(0.93) ? protocol : this.pick(['jsonrpc-2.0.0', 'jsonrpc-3.0', '', 42]),
      id,
      service: this.chance(0.93)
        ? service
        : this.pick(['agentservice', 'relayservice', '', 'constructor', 7]),
      msgname: this.chance(0.97) ? msgname : this.value(),
      params: this.params(msgname),
    };
    if (this.chance(0.04))
      delete env[this.pick(['protocol', 'id', 'service', 'msgname', 'params'])];
    if (this.chance(0.03)) env[this.pick(PROTO_KEYS)] = this.value();
    const data = this.stringify(env);
    const p = env.params as { callId?: unknown } | null;
    return {
      data,
      tooBig: Buffer.byteLength(data) > this.maxFrame,
      ...(typeof env.id === 'string' &&
      env.id.length > 0 &&
      env.id.length <= 128 &&
      !env.id.includes('\u0001')
        ? { id: env.id }
        : {}),
      ...(typeof env.msgname === 'string' && Object.hasOwn(RESPONSE_OF, env.msgname)
        ? { request: env.msgname }
        : {}),
      ...(p && typeof p === 'object' && typeof p.callId === 'string' && !p.callId.includes('\u0001')
        ? { callId: p.callId }
        : {}),
    };
  }
}

const isAnswer = (e: Env) => e.msgname.endsWith('Response');

/** Runs the fuzzer against a started gateway; throws (assert) on the first imprecise answer. */
export async function fuzzGateway(gw: Gateway, o: FuzzOptions): Promise<FuzzReport> {
  const connect = (opts: { protocols?: string[]; origin?: string | null } = {}) =>
    RawClient.connect(gw.wsUrl, { origin: gw.origin, userAgent: 'fuzz', ...opts });
  const a = await connect();
  await a.login('201');
  const b = await connect();
  await b.login('202');
  const call = await connectCall(a, b, '202');
  const ids = [call.callerId, call.calleeId];
  const marks = new Map([
    [a, a.frames.length],
    [b, b.frames.length],
  ]);
  const gen = new Gen(prng(o.seed), () => ids, o.maxFrame);
  const report: FuzzReport = {
    frames: 0,
    answered: 0,
    closes1009: 0,
    reconnects: 0,
    holdToggles: 0,
    byResponse: {},
  };

  // fuzz connections: one never logged in (D11), one logged in as 203 (D11), one D10 not logged in
  const kinds = [
    { protocols: undefined, login: false },
    { protocols: undefined, login: true },
    { protocols: ['jsonrpc'], login: false },
  ];
  // an ESNA token: the fuzzed wrong passwords lock 203 and this IP out of password logins
  const esna = new TokenService(TEST_ENV.IPO_TOKEN_SECRET).issue({ sub: '203', typ: 'esna' }).token;
  const open = async (k: (typeof kinds)[number]) => {
    const c = await connect(k.protocols ? { protocols: k.protocols } : {});
    if (k.login) await c.login('203', { token: esna, tokenType: 'esna' });
    return c;
  };
  const fuzzers = await Promise.all(kinds.map(open));
  let held = false;
  const toggleHold = async () => {
    const request = held ? 'unholdCall' : 'holdCall';
    expectResponse(
      await a.request(request, { callId: call.callerId }),
      `${request}Response`,
      '200',
      call.callerId,
    );
    const event = held ? 'CallUnheld' : 'CallHeld';
    await a.nextFor(event, call.callerId);
    await b.nextFor(event, call.calleeId);
    held = !held;
    report.holdToggles++;
  };

  try {
    for (let i = 0; i < o.frames; i++) {
      const k = i % fuzzers.length;
      let c = fuzzers[k]!;
      if (!c.open) {
        fuzzers[k] = c = await open(kinds[k]!);
        report.reconnects++;
      }
      const f = gen.frame(c.protocol, c.service);
      const seen = c.frames.length;
      c.sendRaw(f.data);
      report.frames++;
      const what = () => `frame ${i} (seed ${o.seed}): ${String(f.data).slice(0, 300)}`;
      if (f.tooBig) {
        const closed = await c.waitClosed(8000);
        assert.equal(closed.code, 1009, what());
        report.closes1009++;
        continue;
      }
      const frame = await c.waitForFrame(
        (fr) => fr.seq >= seen && !!fr.env && isAnswer(fr.env),
        8000,
        `the answer to ${what()}`,
      );
      const answer = frame.env!;
      report.answered++;
      report.byResponse[answer.msgname] = (report.byResponse[answer.msgname] ?? 0) + 1;
      if (f.id !== undefined) assert.equal(answer.id, f.id, `answer id: ${what()}`);
      if (!f.request) assert.equal(answer.msgname, 'errorResponse', what());
      else if (answer.msgname !== 'errorResponse')
        assert.equal(answer.msgname, (RESPONSE_OF as Record<string, string>)[f.request], what());
      if (answer.params.callId !== undefined)
        assert.equal(answer.params.callId, f.callId, `callId: ${what()}`);
      assert.ok(
        c.frames.slice(seen).filter((fr) => fr.env && isAnswer(fr.env)).length === 1,
        `exactly one answer: ${what()}`,
      );
      if (k === 1 && answer.msgname === 'logoutResponse' && answer.params.responseCode === '200') {
        await c.dispose(); // a fuzzed logout succeeded: log in again, to keep fuzzing a session
        fuzzers[k] = await open(kinds[k]!);
        report.reconnects++;
      }
      if (i % 50 === 49) await toggleHold();
      if (i % 500 === 499) o.progress?.(i + 1);
    }
    // the call is untouched: no event about it but the hold toggles, and it still ends normally
    for (const [client, callId] of [
      [a, call.callerId],
      [b, call.calleeId],
    ] as const) {
      const others = client.frames
        .slice(marks.get(client))
        .flatMap((f) => (f.env ? [f.env] : []))
        .filter(
          (e) =>
            e.params?.callId === callId &&
            !['CallHeld', 'CallUnheld', 'CallConnected'].includes(e.msgname) &&
            !isAnswer(e),
        );
      assert.deepEqual(
        others.map((e) => e.msgname),
        [],
        `${client.label}: the call was touched`,
      );
    }
    assert.equal(gw.running, true, 'the gateway process is alive');
    assert.equal((await gw.health()).status, 'ok');
    if (held) await toggleHold();
    expectResponse(
      await a.request('endCall', { callId: call.callerId }),
      'endCallResponse',
      '200',
      call.callerId,
    );
    await expectDisconnected(b, call.calleeId);
    const violations = [a, b, ...fuzzers].flatMap((c) => c.violations);
    assert.deepEqual(
      violations.slice(0, 5),
      [],
      'every frame from the gateway obeyed the envelope rules',
    );
    return report;
  } finally {
    await Promise.all([a, b, ...fuzzers].map((c) => c.dispose()));
  }
}
