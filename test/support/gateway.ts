/**
 * Fixture around the REAL built dev gateway (`dist/gateway/cli.js`): spawns it on a free port,
 * waits for its `listening` log line, records every stdout log line, and stops it.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SIGNALLING_PATH } from '../../src/protocol/index.js';
import { Signal } from './wait.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = fileURLToPath(new URL('../../dist/gateway/cli.js', import.meta.url));

/** Known values for the gateway's secrets: none of them may ever appear in its logs. */
export const TEST_ENV = {
  IPO_DEMO_PASSWORD: 'demoPw-4c1e9b7d-Q',
  IPO_TOKEN_SECRET: 'tokSecret-8d2f6a0e13b54c79',
  IPO_ADMIN_TOKEN: 'adminTok-5e7a91c3d2f04b66',
} as const;

export type LogLine = Record<string, unknown> & { time?: unknown; level?: unknown; msg?: unknown };

export interface StartOptions {
  /** Extra CLI arguments after `serve --port <port> --host 127.0.0.1 --tls auto`. */
  args?: string[];
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: unknown;
}

export class Gateway {
  /** Every stdout line, in order. */
  readonly lines: string[] = [];
  /** The stdout lines that parsed as JSON objects (index-aligned with `lines` only when all do). */
  readonly logs: LogLine[] = [];
  /** stdout lines that were not JSON objects (the docs say every log line is JSON). */
  readonly nonJsonLines: string[] = [];
  stderr = '';
  port = 0;
  url = '';
  origin = '';
  wsUrl = '';
  readonly exited: Promise<Exit>;
  exit: Exit | undefined;
  private readonly signal = new Signal();

  private constructor(readonly proc: ChildProcess) {
    this.exited = new Promise((resolve) => {
      proc.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.signal.notify();
        resolve(this.exit);
      });
    });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      this.lines.push(line);
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        this.logs.push(parsed as LogLine);
      else this.nonJsonLines.push(line);
      this.signal.notify();
    });
    proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  static async start(opts: StartOptions = {}): Promise<Gateway> {
    const args = [
      CLI,
      'serve',
      '--port',
      String(opts.port ?? 0),
      '--host',
      '127.0.0.1',
      '--tls',
      'auto',
      ...(opts.args ?? []),
    ];
    const proc = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...TEST_ENV, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gw = new Gateway(proc);
    let listening: LogLine;
    try {
      listening = await gw.signal.waitFor(
        () => {
          if (gw.exit)
            throw new Error(
              `gateway exited (${JSON.stringify(gw.exit)}) before listening; stderr:\n${gw.stderr}`,
            );
          return gw.logs.find((l) => l.msg === 'listening');
        },
        opts.timeoutMs ?? 15_000,
        () =>
          `the "listening" log line; stdout so far:\n${gw.lines.join('\n')}\nstderr:\n${gw.stderr}`,
      );
    } catch (error) {
      proc.kill('SIGKILL');
      throw error;
    }
    assert.equal(
      typeof listening.port,
      'number',
      `listening.port must be a number: ${JSON.stringify(listening)}`,
    );
    assert.equal(
      typeof listening.url,
      'string',
      `listening.url must be a string: ${JSON.stringify(listening)}`,
    );
    gw.port = listening.port as number;
    assert.ok(gw.port > 0, 'listening.port must be the real port, not 0');
    const url = new URL(listening.url as string);
    assert.equal(
      Number(url.port),
      gw.port,
      `listening.url ${url.href} must carry the listening port ${gw.port}`,
    );
    gw.url = url.href;
    gw.origin = url.origin;
    gw.wsUrl = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${SIGNALLING_PATH}`;
    return gw;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Position in the log, to wait for lines written after it. */
  mark(): number {
    return this.logs.length;
  }

  waitForLog(
    predicate: (line: LogLine) => boolean,
    opts: { after?: number; timeoutMs?: number } = {},
  ): Promise<LogLine> {
    const after = opts.after ?? 0;
    return this.signal.waitFor(
      () => this.logs.slice(after).find(predicate),
      opts.timeoutMs ?? 3000,
      () =>
        `a matching gateway log line; lines since mark:\n${this.logs
          .slice(after)
          .map((l) => JSON.stringify(l))
          .join('\n')}`,
    );
  }

  /** SIGTERM, and asserts a clean exit with code 0 (kill -9 if it does not exit in time). */
  async stop(timeoutMs = 10_000): Promise<Exit> {
    if (this.running) this.proc.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      this.exited,
      new Promise<undefined>((resolve) => (timer = setTimeout(resolve, timeoutMs, undefined))),
    ]);
    clearTimeout(timer);
    if (!exit) {
      await this.kill9();
      assert.fail(`gateway did not exit within ${timeoutMs} ms of SIGTERM (killed with SIGKILL)`);
    }
    assert.deepEqual(
      exit,
      { code: 0, signal: null },
      `gateway must exit 0 on SIGTERM; stderr:\n${this.stderr}`,
    );
    return exit;
  }

  /** POST /admin/fault with the test admin token: `{silent, extension?}`; asserts 200. */
  async fault(body: {
    silent: boolean;
    extension?: string;
  }): Promise<{ silent: boolean; sessions: number }> {
    const result = await this.http('POST', '/admin/fault', {
      headers: {
        Authorization: `Bearer ${TEST_ENV.IPO_ADMIN_TOKEN}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    assert.equal(
      result.status,
      200,
      `POST /admin/fault ${JSON.stringify(body)}: ${result.status} ${result.body}`,
    );
    return result.json as { silent: boolean; sessions: number };
  }

  /** GET /healthz as JSON (asserts 200). */
  async health(): Promise<Record<string, unknown>> {
    const result = await this.http('GET', '/healthz');
    assert.equal(result.status, 200);
    return result.json as Record<string, unknown>;
  }

  /** kill -9: no chance to clean up. */
  async kill9(): Promise<Exit> {
    if (this.running) this.proc.kill('SIGKILL');
    return this.exited;
  }

  /**
   * The log contract: every stdout line is a JSON object with time/level/msg, and no secret (password,
   * token, admin token, token secret) nor SDP body ever appears in it.
   */
  assertLogsClean(secrets: Iterable<string>, sdpMarker = 'fakesdp-'): void {
    assert.deepEqual(this.nonJsonLines, [], 'every stdout line must be a JSON log line');
    for (const line of this.logs) {
      assert.equal(
        typeof line.time,
        'string',
        `log line without string "time": ${JSON.stringify(line)}`,
      );
      assert.ok(
        ['debug', 'info', 'warn', 'error'].includes(line.level as string),
        `bad "level": ${JSON.stringify(line)}`,
      );
      assert.equal(
        typeof line.msg,
        'string',
        `log line without string "msg": ${JSON.stringify(line)}`,
      );
    }
    const all = this.lines.join('\n');
    const values = new Set<string>([...Object.values(TEST_ENV), ...secrets]);
    for (const secret of values) {
      if (secret.trim().length < 6) continue;
      assert.ok(
        !all.includes(secret),
        `a secret appears in the gateway log: ${secret.slice(0, 4)}… (${secret.length} chars)`,
      );
    }
    assert.ok(!all.includes(sdpMarker), 'an SDP body appears in the gateway log');
  }

  /** One HTTP(S) request to the gateway (self-signed certificate accepted). */
  http(
    method: string,
    path: string,
    opts: { headers?: Record<string, string>; body?: string } = {},
  ): Promise<HttpResult> {
    const target = new URL(path, this.url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        target,
        { method, headers: opts.headers, rejectUnauthorized: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            let json: unknown;
            try {
              json = JSON.parse(body);
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
          });
        },
      );
      req.setTimeout(5000, () => req.destroy(new Error(`${method} ${path}: no answer in 5 s`)));
      req.on('error', reject);
      req.end(opts.body);
    });
  }
}

/** A TCP port that was free a moment ago (for gateways that must know each other's port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PairOptions {
  /** extra arguments for both gateways (after the HA ones) */
  args?: string[];
  primaryArgs?: string[];
  secondaryArgs?: string[];
}

/**
 * An HA pair of real gateways on two fixed ports (`--role primary|secondary --peer`), sharing the
 * test token secret. `restartPrimary()` starts a new primary on the same port (after `kill9()`).
 */
export class HaPair {
  private constructor(
    public primary: Gateway,
    readonly secondary: Gateway,
    readonly primaryPort: number,
    readonly secondaryPort: number,
    private readonly opts: PairOptions,
  ) {}

  static primaryArgs(primaryPort: number, secondaryPort: number, opts: PairOptions): StartOptions {
    return {
      port: primaryPort,
      args: [
        '--role',
        'primary',
        '--peer',
        `127.0.0.1:${secondaryPort}`,
        ...(opts.args ?? []),
        ...(opts.primaryArgs ?? []),
      ],
    };
  }

  static async start(opts: PairOptions = {}): Promise<HaPair> {
    const [p, s] = [await freePort(), await freePort()];
    const [primary, secondary] = await Promise.all([
      Gateway.start(HaPair.primaryArgs(p, s, opts)),
      Gateway.start({
        port: s,
        args: [
          '--role',
          'secondary',
          '--peer',
          `127.0.0.1:${p}`,
          ...(opts.args ?? []),
          ...(opts.secondaryArgs ?? []),
        ],
      }),
    ]);
    return new HaPair(primary, secondary, p, s, opts);
  }

  /** A new primary process on the primary's port (the old one must be gone). */
  async restartPrimary(): Promise<Gateway> {
    assert.ok(!this.primary.running, 'kill the primary first');
    this.primary = await Gateway.start(
      HaPair.primaryArgs(this.primaryPort, this.secondaryPort, this.opts),
    );
    return this.primary;
  }

  /** Stops both (SIGTERM, exit 0) and checks their logs are clean. */
  async stop(secrets: Iterable<string>): Promise<void> {
    for (const gw of [this.primary, this.secondary]) if (gw.running) await gw.stop();
    for (const gw of [this.primary, this.secondary]) gw.assertLogsClean(secrets);
  }

  /** Teardown after a failure: kill -9 whatever runs. */
  async kill(): Promise<void> {
    await Promise.all([this.primary.kill9(), this.secondary.kill9()]);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/gateway/cli.js ...args`, feeding `input` on stdin. */
export function runCli(
  args: string[],
  opts: { input?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...TEST_ENV, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    proc.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(
        new Error(
          `ipo-gateway ${args.join(' ')}: no exit within ${opts.timeoutMs ?? 10_000} ms; stderr: ${stderr}`,
        ),
      );
    }, opts.timeoutMs ?? 10_000);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    proc.stdin.on('error', () => {});
    proc.stdin.end(opts.input ?? '');
  });
}
