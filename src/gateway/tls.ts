/** TLS material for the dev gateway: a self-signed certificate made at start, or PEM files. */
import { readFile } from 'node:fs/promises';
import selfsigned from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 fingerprint, printed so a developer can check what the browser shows. */
  fingerprint?: string;
}

/** A certificate for 127.0.0.1, ::1 and localhost (plus `host` when it is another name), valid 30 days. */
export async function selfSignedCertificate(host: string): Promise<TlsMaterial> {
  const altNames: Array<{ type: 2; value: string } | { type: 7; ip: string }> = [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
    { type: 7, ip: '::1' },
  ];
  if (/^[\d.]+$/.test(host)) {
    if (host !== '127.0.0.1' && host !== '0.0.0.0') altNames.push({ type: 7, ip: host });
  } else if (host !== 'localhost') altNames.push({ type: 2, value: host });
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const pems = await selfsigned.generate(
    [{ name: 'commonName', value: 'ipo-webrtc-kit dev gateway' }],
    {
      keyType: 'ec',
      curve: 'P-256',
      notAfterDate,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    },
  );
  return { cert: pems.cert, key: pems.private, fingerprint: pems.fingerprint };
}

export async function tlsFromFiles(certPath: string, keyPath: string): Promise<TlsMaterial> {
  const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  return { cert, key };
}
