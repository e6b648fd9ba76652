// @web/test-runner: browser tests in Debian's Chromium (fake camera and microphone) against the
// real dev gateway, which this config starts on a free port before the run and stops after it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, createWriteStream } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { CHROME_ARGS, CHROME_PATH } from './scripts/chromium.mjs';
import { a11ySnapshotPlugin } from '@web/test-runner-commands/plugins';

/** A free port for the test server, so several runs can share the machine. */
async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
const TEST_PORT = Number(process.env.WTR_PORT) || (await freePort());
const GATEWAY_ENV = {
  IPO_DEMO_PASSWORD: 'browser-demo-pw-7Hq',
  IPO_TOKEN_SECRET: 'browser-token-secret-3f9c2a71',
  IPO_ADMIN_TOKEN: 'browser-admin-token-91d4',
};

/** Starts `dist/gateway/cli.js` and serves its address to the test pages at /__gateway.json. */
function devGateway() {
  let proc;
  let info;
  return {
    name: 'ipo-dev-gateway',
    async serverStart() {
      if (!existsSync('dist/gateway/cli.js')) throw new Error('dist/gateway/cli.js is missing: run "npm run build" first');
      const origins = [`http://localhost:${TEST_PORT}`, `http://127.0.0.1:${TEST_PORT}`].join(',');
      proc = spawn(process.execPath, ['dist/gateway/cli.js', 'serve', '--port', '0', '--allow-origin', origins, '--log-level', process.env.WTR_GATEWAY_LOG ? 'debug' : 'warn'], {
        env: { ...process.env, ...GATEWAY_ENV },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      proc.stderr.resume();
      // WTR_GATEWAY_LOG=file: keep the gateway's debug log of the run, for diagnosing a failure
      const logFile = process.env.WTR_GATEWAY_LOG ? createWriteStream(process.env.WTR_GATEWAY_LOG) : null;
      info = await new Promise((resolve, reject) => {
        const lines = createInterface({ input: proc.stdout });
        lines.on('line', (line) => {
          logFile?.write(line + '\n');
          try {
            const rec = JSON.parse(line);
            if (rec.msg === 'listening') resolve(rec);
            else if (rec.level === 'error') process.stderr.write(`[gateway] ${line}\n`);
          } catch {
            /* not a log line */
          }
        });
        proc.once('exit', (code) => reject(new Error(`dev gateway exited early (code ${code})`)));
      });
    },
    async serverStop() {
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
    },
    serve(context) {
      if (context.path === '/__gateway.json') {
        const host = new URL(info.url).host;
        return { body: JSON.stringify({ host, port: info.port, url: info.url, password: GATEWAY_ENV.IPO_DEMO_PASSWORD, adminToken: GATEWAY_ENV.IPO_ADMIN_TOKEN }), type: 'json' };
      }
    },
  };
}

/**
 * `executeServerCommand('ipo-screenshot', { name, clip? })`: saves a PNG of the test page (or a
 * clip of it) to test/screenshots/<name>.png, for a reviewer to look at (the folder is ignored).
 */
function screenshots() {
  return {
    name: 'ipo-screenshot',
    async executeCommand({ command, payload, session }) {
      if (command !== 'ipo-screenshot') return undefined;
      const { mkdir } = await import('node:fs/promises');
      const name = String(payload?.name ?? 'screenshot').replace(/[^\w.-]+/g, '-');
      await mkdir('test/screenshots', { recursive: true });
      const page = session.browser.getPage(session.id);
      const path = `test/screenshots/${name}.png`;
      await page.screenshot({ path, ...(payload?.clip ? { clip: payload.clip } : { fullPage: true }) });
      return path;
    },
  };
}

export default {
  files: ['test/browser/**/*.test.ts', 'src/**/*.test.ts'],
  nodeResolve: true,
  port: TEST_PORT,
  concurrency: 1,
  testsFinishTimeout: 10 * 60_000,
  testFramework: { config: { timeout: 60_000 } },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), a11ySnapshotPlugin(), screenshots(), devGateway()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: CHROME_PATH,
        headless: true,
        args: CHROME_ARGS,
      },
    }),
  ],
};
