/** Shared bench helpers: statistics, the gateway process, result files, a table printer. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export interface GatewayProcess {
  proc: ChildProcess;
  port: number;
  host: string;
  rssKiB(): Promise<number>;
  /** CPU time the gateway process has used (user + system), in seconds */
  cpuSeconds(): Promise<number>;
  stop(): Promise<void>;
}

export async function startGateway(
  args: string[],
  env: Record<string, string>,
): Promise<GatewayProcess> {
  const proc = spawn(
    process.execPath,
    ['dist/gateway/cli.js', 'serve', '--port', '0', '--log-level', 'warn', ...args],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stderr!.resume();
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      try {
        const rec = JSON.parse(line) as { msg?: string; port?: number };
        if (rec.msg === 'listening') resolve(rec.port!);
      } catch {
        /* ignore */
      }
    });
    proc.once('exit', (code) => reject(new Error(`gateway exited (${code})`)));
  });
  return {
    proc,
    port,
    host: `127.0.0.1:${port}`,
    async rssKiB() {
      const status = await readFile(`/proc/${proc.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
    },
    async cpuSeconds() {
      const stat = await readFile(`/proc/${proc.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
    },
    async stop() {
      if (proc.exitCode !== null) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await done;
    },
  };
}

export async function writeResult(name: string, data: unknown): Promise<string> {
  await mkdir(`${ROOT}bench/results`, { recursive: true });
  const path = `bench/results/${name}.json`;
  await writeFile(
    `${ROOT}${path}`,
    JSON.stringify(
      { date: new Date().toISOString(), node: process.version, ...(data as object) },
      null,
      2,
    ) + '\n',
  );
  return path;
}

export function table(title: string, rows: Array<[string, string | number]>): void {
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  for (const [k, v] of rows)
    console.log(`  ${k.padEnd(width)}  ${typeof v === 'number' ? formatNumber(v) : v}`);
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  return Number.isInteger(n) || Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
}
