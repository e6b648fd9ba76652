// Which addresses the media legs offer (media/addresses.ts) and where a=ice-lite goes.
// Run: node --import tsx --test test/gateway/media-addresses.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { networkInterfaces } from 'node:os';
import { mediaAddresses, ownIPv4Addresses } from '../../src/gateway/media/addresses.js';
import { iceLiteAtSessionLevel } from '../../src/gateway/media/bridge.js';

type Ifaces = ReturnType<typeof networkInterfaces>;
const nic = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) =>
  ({ address, family, internal, netmask: '', mac: '', cidr: null }) as never;
const ifaces: Ifaces = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  eth0: [nic('192.0.2.2', 'IPv4', false), nic('2001:db8::2', 'IPv6', false)],
  wlan0: [nic('198.51.100.7', 'IPv4', false)],
};

test("on loopback the legs offer 127.0.0.1 and the host's own IPv4 addresses (Firefox pairs no loopback)", () => {
  assert.deepEqual(ownIPv4Addresses(ifaces), ['192.0.2.2', '198.51.100.7']);
  for (const host of ['127.0.0.1', 'localhost', '::1'])
    assert.deepEqual(mediaAddresses(host, ifaces), ['127.0.0.1', '192.0.2.2', '198.51.100.7']);
  assert.deepEqual(mediaAddresses('127.0.0.1', { lo: ifaces.lo }), ['127.0.0.1']);
});

test('on one address only that address; on 0.0.0.0 every interface', () => {
  assert.deepEqual(mediaAddresses('192.0.2.2', ifaces), ['192.0.2.2']);
  assert.deepEqual(mediaAddresses('0.0.0.0', ifaces), []);
});

test('a=ice-lite moves to the session level, once', () => {
  const sdp = [
    'v=0',
    'o=- 1 0 IN IP4 0.0.0.0',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'a=ice-lite',
    'a=mid:0',
    'm=video 9 UDP/TLS/RTP/SAVPF 96',
    'a=ice-lite',
    'a=mid:1',
    '',
  ].join('\r\n');
  const out = iceLiteAtSessionLevel(sdp);
  assert.equal(
    out,
    [
      'v=0',
      'o=- 1 0 IN IP4 0.0.0.0',
      's=-',
      't=0 0',
      'a=group:BUNDLE 0 1',
      'a=ice-lite',
      'm=audio 9 UDP/TLS/RTP/SAVPF 111',
      'a=mid:0',
      'm=video 9 UDP/TLS/RTP/SAVPF 96',
      'a=mid:1',
      '',
    ].join('\r\n'),
  );
  assert.equal(iceLiteAtSessionLevel(out), out, 'idempotent');
  const full = sdp.replace(/a=ice-lite\r\n/g, '');
  assert.equal(iceLiteAtSessionLevel(full), full, 'a full agent stays full');
});
