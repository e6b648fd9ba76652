/**
 * Raw HTTP/1.1 over TLS to the gateway: the request line is sent byte for byte (no URL parsing on
 * this side), so targets like `//`, `//a:99999/` or `/%E0%A4%A` reach the server as written.
 */
import { connect } from 'node:tls';

export interface RawHttpAnswer {
  status: number;
  /** response headers, lower-case names */
  headers: Record<string, string>;
  body: string;
}

export function rawHttp(
  port: number,
  requestLine: string,
  headers: Record<string, string> = {},
  timeoutMs = 4000,
): Promise<RawHttpAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to "${requestLine}" in ${timeoutMs} ms`));
    }, timeoutMs);
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (!m) return reject(new Error(`no HTTP answer to "${requestLine}": ${text.slice(0, 200)}`));
      const [head = '', body = ''] = text.split('\r\n\r\n', 2) as [string, string];
      const parsed: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) parsed[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status: Number(m[1]), headers: parsed, body });
    });
    socket.once('secureConnect', () => {
      const all = { Host: '127.0.0.1', Connection: 'close', ...headers };
      const lines = [requestLine, ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)];
      socket.write(lines.join('\r\n') + '\r\n\r\n');
    });
  });
}
