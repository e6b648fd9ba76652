/**
 * SDK logging: silent unless enabled; any console-like sink (setLogObject). Secrets never reach
 * the sink: passwords, tokens, TURN credentials are redacted and SDP bodies reduced to a size.
 */

export interface LogSink {
  log?(...a: unknown[]): void;
  debug?(...a: unknown[]): void;
  info?(...a: unknown[]): void;
  warn?(...a: unknown[]): void;
  error?(...a: unknown[]): void;
}

const SECRET = /pass|pwd|token|credential|secret|username/i;

/** A copy of `v` that is safe to log. */
export function redact(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== 'object' || depth > 5) return v;
  if (Array.isArray(v)) return v.map((x) => redact(x, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = SECRET.test(k)
      ? '[redacted]'
      : k === 'sdp' && typeof x === 'string'
        ? `[sdp ${x.length} chars]`
        : redact(x, depth + 1);
  }
  return out;
}

export class Log {
  on = false;
  sink: LogSink = console;

  write(level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: unknown): void {
    if (!this.on) return;
    try {
      const fn = this.sink[level] ?? this.sink.log;
      fn?.call(this.sink, `[AWL] ${msg}`, ...(data === undefined ? [] : [redact(data)]));
    } catch {
      /* a broken sink must not break the SDK */
    }
  }
  debug(msg: string, data?: unknown) {
    this.write('debug', msg, data);
  }
  info(msg: string, data?: unknown) {
    this.write('info', msg, data);
  }
  warn(msg: string, data?: unknown) {
    this.write('warn', msg, data);
  }
  error(msg: string, data?: unknown) {
    this.write('error', msg, data);
  }
}
