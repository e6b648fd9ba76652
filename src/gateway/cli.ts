#!/usr/bin/env node
/**
 * ipo-gateway: the development IP Office WebRTC Gateway.
 *   ipo-gateway [serve] [--port 9443] [--host 127.0.0.1] [--tls auto|off|CERT,KEY] [--allow-origin A,B]
 *                       [--directory FILE] [--keepalive S] [--token-ttl S] [--max-frame BYTES] [--log-level L]
 *                       [--echo-number N] [--dtmf-number N]   (test numbers; '' turns one off)
 *                       [--media-loss PERCENT]                 (impairment: the media legs drop this share)
 *                       [--role primary|secondary --peer HOST:PORT] [--ha-failback S] [--call-resume-grace S]
 *                       [--web-visitor EXT]                    (the demo token route /api/ipo-token; '' = off)
 *   ipo-gateway user add EXT --name NAME [--profile phone|agent] --file FILE   (password on stdin)
 *   ipo-gateway user passwd EXT --file FILE                                     (password on stdin)
 *   ipo-gateway user list --file FILE
 *   ipo-gateway token issue EXT [--type esna|session] [--ttl 10m]                (needs IPO_TOKEN_SECRET)
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TokenService } from './auth.js';
import { parseDuration } from './token-routes.js';
import {
  DEMO_USERS,
  demoDirectory,
  Directory,
  hashPassword,
  PROFILES,
  randomDemoPassword,
  readDirectoryFile,
  validateUser,
  writeDirectoryFile,
  type Profile,
} from './directory.js';
import { Gateway, type HaRole } from './gateway.js';
import { HaMonitor } from './ha.js';
import { mediaAddresses } from './media/addresses.js';
import { createLogger, isLevel } from './log.js';
import { startServer } from './server.js';
import { selfSignedCertificate, tlsFromFiles, type TlsMaterial } from './tls.js';

class UsageError extends Error {}

// (the built file carries no comments, so the usage text lives here rather than in the header)
const USAGE = `ipo-gateway: the development IP Office WebRTC Gateway.
  ipo-gateway [serve] [--port 9443] [--host 127.0.0.1] [--tls auto|off|CERT,KEY] [--allow-origin A,B]
                      [--directory FILE] [--keepalive S] [--token-ttl S] [--max-frame BYTES] [--max-rate N]
                      [--max-ip-rate N] [--max-connections-per-ip N] [--login-timeout S]
                      [--log-level L] [--call-resume-grace S] [--web-visitor EXT]
                      [--role primary|secondary --peer HOST:PORT] [--ha-failover S] [--ha-failback S]
                      [--ha-check-interval MS] [--ha-check-failures N]
  ipo-gateway user add EXT --name NAME [--profile phone|agent] --file FILE   (password on stdin)
  ipo-gateway user passwd EXT --file FILE                                     (password on stdin)
  ipo-gateway user list --file FILE
  ipo-gateway token issue EXT [--type esna|session] [--ttl 10m]                (needs IPO_TOKEN_SECRET)
`;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function intOption(
  value: string | undefined,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += chunk;
    const password = text.replace(/\r?\n$/, '');
    if (!password) throw new UsageError('give the password on standard input');
    return password;
  }
  const rl = createInterface({ input: stdin, output: process.stderr, terminal: true });
  process.stderr.write(prompt);
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined; // no echo
  const password = await new Promise<string>((ok) => rl.question('', ok));
  rl.close();
  process.stderr.write('\n');
  if (!password) throw new UsageError('the password must not be empty');
  return password;
}

async function serve(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      tls: { type: 'string' },
      'allow-origin': { type: 'string' },
      directory: { type: 'string' },
      keepalive: { type: 'string' },
      'token-ttl': { type: 'string' },
      'max-frame': { type: 'string' },
      'max-rate': { type: 'string' },
      'max-ip-rate': { type: 'string' },
      'max-connections-per-ip': { type: 'string' },
      'login-timeout': { type: 'string' },
      'log-level': { type: 'string' },
      'echo-number': { type: 'string' },
      'dtmf-number': { type: 'string' },
      'media-loss': { type: 'string' },
      role: { type: 'string' },
      peer: { type: 'string' },
      'ha-failover': { type: 'string' },
      'ha-failback': { type: 'string' },
      'ha-check-interval': { type: 'string' },
      'ha-check-failures': { type: 'string' },
      'call-resume-grace': { type: 'string' },
      'web-visitor': { type: 'string' },
    },
    strict: true,
  });
  const host = values.host ?? '127.0.0.1';
  const port = intOption(values.port, 'port', 9443, 0, 65535);
  const keepaliveSeconds = intOption(values.keepalive, 'keepalive', 30, 1, 170);
  const tokenTtl = intOption(values['token-ttl'], 'token-ttl', 3600, 5, 7 * 24 * 3600);
  const maxFrameBytes = intOption(
    values['max-frame'],
    'max-frame',
    128 * 1024,
    1024,
    16 * 1024 * 1024,
  );
  const frameRate = intOption(values['max-rate'], 'max-rate', 40, 1, 1_000_000);
  const limits = {
    ipFrameRate: intOption(values['max-ip-rate'], 'max-ip-rate', 200, 0, 10_000_000),
    maxConnectionsPerIp: intOption(
      values['max-connections-per-ip'],
      'max-connections-per-ip',
      100,
      0,
      1_000_000,
    ),
    loginTimeoutSeconds: intOption(values['login-timeout'], 'login-timeout', 30, 0, 3600),
  };
  const echoNumber = values['echo-number'] ?? '8000';
  const dtmfNumber = values['dtmf-number'] ?? '8001';
  for (const [name, n] of [
    ['echo-number', echoNumber],
    ['dtmf-number', dtmfNumber],
  ] as const) {
    if (n !== '' && !/^[0-9*#]{1,16}$/.test(n))
      throw new UsageError(`--${name} must be up to 16 digits, * or # (or '' to turn it off)`);
  }
  if (echoNumber !== '' && echoNumber === dtmfNumber)
    throw new UsageError('--echo-number and --dtmf-number must differ');
  const mediaLoss = intOption(values['media-loss'], 'media-loss', 0, 0, 100);
  const callResumeGraceSeconds = intOption(
    values['call-resume-grace'],
    'call-resume-grace',
    20,
    0,
    3600,
  );
  const role = values.role;
  if (role !== undefined && role !== 'primary' && role !== 'secondary')
    throw new UsageError('--role must be primary or secondary');
  if ((role === undefined) !== (values.peer === undefined))
    throw new UsageError('--role and --peer go together');
  let peer: { host: string; port: number } | undefined;
  if (values.peer !== undefined) {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s/]+)):(\d{1,5})$/.exec(values.peer);
    const peerPort = m ? Number(m[3]) : 0;
    if (!m || peerPort < 1 || peerPort > 65535)
      throw new UsageError('--peer must be HOST:PORT (IPv6: [ADDR]:PORT)');
    peer = { host: (m[1] ?? m[2])!, port: peerPort };
  }
  const haFailover = intOption(values['ha-failover'], 'ha-failover', 30, 1, 3600);
  const haFailback = intOption(values['ha-failback'], 'ha-failback', 60, 1, 3600);
  const haInterval = intOption(values['ha-check-interval'], 'ha-check-interval', 500, 100, 60_000);
  const haFailures = intOption(values['ha-check-failures'], 'ha-check-failures', 2, 1, 20);
  const level = values['log-level'] ?? 'info';
  if (!isLevel(level)) throw new UsageError('--log-level must be debug, info, warn or error');
  const log = createLogger(level);

  let tls: TlsMaterial | null;
  const tlsMode = values.tls ?? 'auto';
  if (tlsMode === 'auto') tls = await selfSignedCertificate(host);
  else if (tlsMode === 'off') {
    if (!LOOPBACK.has(host))
      throw new UsageError('--tls off is only allowed on a loopback address');
    tls = null;
  } else {
    const [cert, key] = tlsMode.split(',');
    if (!cert || !key) throw new UsageError('--tls must be auto, off, or CERT.pem,KEY.pem');
    tls = await tlsFromFiles(cert, key);
  }

  let directory: Directory;
  let demoPassword: string | null = null;
  if (values.directory) {
    directory = await Directory.load(values.directory);
    if (directory.size === 0)
      throw new UsageError(
        `${values.directory} has no users (add one with "ipo-gateway user add")`,
      );
  } else {
    if (!LOOPBACK.has(host)) {
      throw new UsageError(
        'the embedded demo directory is only allowed on a loopback address: give --directory FILE',
      );
    }
    const fromEnv = process.env.IPO_DEMO_PASSWORD;
    demoPassword = fromEnv || randomDemoPassword();
    directory = await demoDirectory(demoPassword);
    if (fromEnv) demoPassword = null; // the operator knows it; do not echo it
  }
  // The demo token route signs demo pages in as this extension ('' turns it off). With the
  // embedded demo directory it is 207 ("Web visitor") unless told otherwise.
  const webVisitor =
    values['web-visitor'] ?? process.env.IPO_WEB_VISITOR ?? (values.directory ? '' : '207');
  if (webVisitor && !directory.get(webVisitor))
    throw new UsageError(`--web-visitor ${webVisitor} is not in the directory`);

  const secret = process.env.IPO_TOKEN_SECRET;
  if (secret !== undefined && secret.length < 16)
    throw new UsageError('IPO_TOKEN_SECRET must be at least 16 characters');
  if (role && !secret)
    throw new UsageError('an HA pair needs the same IPO_TOKEN_SECRET on both gateways');
  const tokens = new TokenService(secret ?? randomBytes(32), tokenTtl);

  const media = {
    // media legs listen where signalling does: loopback (and this host's own addresses, which
    // Firefox needs), one address, or every interface (media/addresses.ts)
    iceAdditionalHostAddresses: mediaAddresses(host),
    log: (event: string, fields: Record<string, unknown>) => log.debug(`bridge ${event}`, fields),
    loss: mediaLoss / 100,
  };
  if (mediaLoss > 0) log.always('media impairment', { lossPercent: mediaLoss });
  const gateway = new Gateway({
    directory,
    tokens,
    log,
    version: VERSION,
    frameRate,
    limits,
    callResumeGraceSeconds,
    ...(role && peer
      ? {
          ha: {
            role: role as HaRole,
            backup: { address: peer.host, port: peer.port },
            failoverSeconds: haFailover,
            failbackSeconds: haFailback,
          },
        }
      : {}),
    createBridge: async (options) => {
      const { MediaBridge } = await import('./media/bridge.js');
      return MediaBridge.create({ ...options, ...media });
    },
    services: {
      echoNumber,
      dtmfNumber,
      createTestLeg: async (offer, { echo, onDigit }) => {
        const { answeringLeg } = await import('./media/bridge.js');
        const { dtmfEnd } = await import('./services.js');
        const leg = await answeringLeg(offer, { ...media, echo });
        const last = {};
        if (onDigit) {
          leg.tap = (_kind, key, rtp) => {
            if (key !== 'audio/telephone-event/8000') return;
            const digit = dtmfEnd(rtp.payload, rtp.header.timestamp, last);
            if (digit) onDigit(digit);
          };
        }
        return { answer: leg.offer, close: () => leg.close() };
      },
      createRelay: async (offer) => {
        const { MediaBridge } = await import('./media/bridge.js');
        const bridge = await MediaBridge.create({
          video: false,
          ...media,
          legs: { a: { answer: offer } },
        });
        return {
          answerA: bridge.a.offer,
          offerB: bridge.b.offer,
          acceptB: (sdp) => bridge.b.accept(sdp),
          close: () => bridge.close(),
        };
      },
    },
  });

  const allowOrigins = values['allow-origin']
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // Pages served by (or pointed at) the peer fail over to this gateway: allow the peer's origins.
  const extraOrigins: string[] = [];
  if (peer) {
    const scheme = tls ? 'https' : 'http';
    const names = LOOPBACK.has(peer.host)
      ? ['127.0.0.1', 'localhost']
      : [peer.host.includes(':') ? `[${peer.host}]` : peer.host];
    for (const name of names) extraOrigins.push(`${scheme}://${name}:${peer.port}`);
  }
  const ha =
    role && peer && secret
      ? new HaMonitor({
          gateway,
          tokens,
          log,
          role: role as HaRole,
          peer: { ...peer, tls: tls !== null },
          secret,
          intervalMs: haInterval,
          failures: haFailures,
        })
      : undefined;
  const running = await startServer({
    gateway,
    log,
    host,
    port,
    tls,
    allowOrigins,
    staticRoots: [
      // the kit's browser files (bundles, chunks, maps), with CORS for the allowed origins
      { prefix: '/dist/', dir: join(ROOT, 'dist'), bundles: true },
      { prefix: '/', dir: join(ROOT, 'demo') },
    ],
    keepaliveSeconds,
    maxFrameBytes,
    frameBurst: Math.max(80, frameRate * 2),
    adminToken: process.env.IPO_ADMIN_TOKEN || undefined,
    extraOrigins,
    ...(webVisitor ? { webVisitor } : {}),
    ...(ha ? { ha } : {}),
  });
  ha?.start();
  log.always('listening', {
    url: running.url,
    port: running.port,
    origins: running.origins,
    tls: tls ? tlsMode : 'off',
    users: directory.size,
    version: VERSION,
    role: gateway.role,
    ...(peer ? { peer: `${peer.host}:${peer.port}`, state: gateway.haState } : {}),
    callResumeGraceSeconds,
  });

  const lines = [
    '',
    `  ipo-webrtc-kit dev gateway ${VERSION}`,
    `  Open ${running.url}/ in Chromium${tls && tlsMode === 'auto' ? ' (self-signed certificate: accept the warning once)' : ''}`,
    `  Signalling: ${running.url.replace(/^http/, 'ws')}/SignalGateway/connect`,
  ];
  if (!values.directory) {
    lines.push(
      `  Demo logins (${demoPassword ? `password: ${demoPassword}` : 'password from IPO_DEMO_PASSWORD'}):`,
      ...DEMO_USERS.map(
        (u) => `    ${u.extension}  ${u.name}${u.profile === 'agent' ? ' (agent)' : ''}`,
      ),
    );
  }
  lines.push('  Stop with Ctrl+C.', '');
  process.stderr.write(lines.join('\n') + '\n');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.always('stopping', { signal });
    ha?.stop();
    running.close().then(
      () => {
        log.always('stopped');
        process.exit(0);
      },
      (err: Error) => {
        log.error('stop failed', { err: err.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function user(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { file: { type: 'string' }, name: { type: 'string' }, profile: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [action, extension] = positionals;
  const file = values.file;
  if (!file) throw new UsageError('--file FILE is required');
  const data = await readDirectoryFile(file);
  if (action === 'list') {
    for (const u of data.users) process.stdout.write(`${u.extension}\t${u.name}\t${u.profile}\n`);
    return;
  }
  if (!extension)
    throw new UsageError(`usage: ipo-gateway user ${action ?? 'add|passwd|list'} EXT --file FILE`);
  const index = data.users.findIndex((u) => u.extension === extension);
  if (action === 'add') {
    if (index >= 0)
      throw new UsageError(
        `extension ${extension} already exists (use "user passwd" to change its password)`,
      );
    const profile = (values.profile ?? 'phone') as Profile;
    if (!PROFILES.includes(profile))
      throw new UsageError(`--profile must be ${PROFILES.join(' or ')}`);
    const candidate = { extension, name: values.name ?? '', profile, passwordHash: 'scrypt$' };
    const problem = validateUser(candidate);
    if (problem) throw new UsageError(problem.replace('users[0].', ''));
    candidate.passwordHash = await hashPassword(await readPassword(`Password for ${extension}: `));
    data.users.push(candidate);
    await writeDirectoryFile(file, data);
    process.stderr.write(`added ${extension} (${candidate.name}, ${profile})\n`);
    return;
  }
  if (action === 'passwd') {
    if (index < 0) throw new UsageError(`extension ${extension} is not in ${file}`);
    data.users[index]!.passwordHash = await hashPassword(
      await readPassword(`New password for ${extension}: `),
    );
    await writeDirectoryFile(file, data);
    process.stderr.write(`password of ${extension} changed\n`);
    return;
  }
  throw new UsageError('usage: ipo-gateway user add|passwd|list …');
}

/** `token [issue] EXT [--type esna|session] [--ttl 10m]`: prints a token for a directory user. */
function token(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { type: { type: 'string' }, ttl: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const [extension] = positionals[0] === 'issue' ? positionals.slice(1) : positionals;
  if (!extension || positionals.length > (positionals[0] === 'issue' ? 2 : 1))
    throw new UsageError('usage: ipo-gateway token issue EXT [--type esna|session] [--ttl 10m]');
  const secret = process.env.IPO_TOKEN_SECRET;
  if (!secret || secret.length < 16)
    throw new UsageError("set IPO_TOKEN_SECRET (the same as the gateway's) to issue tokens");
  const type = values.type ?? 'esna';
  if (type !== 'esna' && type !== 'session') throw new UsageError('--type must be esna or session');
  const ttl = values.ttl === undefined ? 3600 : parseDuration(values.ttl, 5, 30 * 24 * 3600);
  if (ttl === null) throw new UsageError('--ttl must be 5 s to 30 d, e.g. 600, 10m, 2h');
  process.stdout.write(
    new TokenService(secret).issue({ sub: extension, typ: type }, ttl).token + '\n',
  );
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'user') return user(rest);
  if (command === 'token') return token(rest);
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command === undefined || command === 'serve') return serve(rest);
  if (command.startsWith('--')) return serve([command, ...rest]);
  throw new UsageError(`unknown command "${command}" (serve, user, token)`);
}

main().catch((err: Error) => {
  process.stderr.write(`ipo-gateway: ${err.message}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
});
