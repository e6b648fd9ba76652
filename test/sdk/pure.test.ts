/** Registration rules, stats shaping and log redaction: pure functions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redact } from '../../src/sdk/log.js';
import {
  checkLogin,
  haOf,
  loginParams,
  normHost,
  normPort,
  readSettings,
  renewDelay,
  wireTokenType,
} from '../../src/sdk/registration.js';
import { emptyStats, fillStats } from '../../src/sdk/stats.js';

describe('registration rules', () => {
  it('accepts IPv4 (not 0.0.0.0), DNS and single-label names, bracketed IPv6; rejects junk', () => {
    assert.equal(normHost('192.0.2.1'), '192.0.2.1');
    assert.equal(normHost(' gw.example.org '), 'gw.example.org');
    assert.equal(normHost('localhost'), 'localhost');
    assert.equal(normHost('::1'), '[::1]');
    for (const bad of ['0.0.0.0', '256.1.1.1', '1.2.3', '', 'a b', 'x/y', undefined, 42])
      assert.equal(normHost(bad), '', String(bad));
  });

  it('ports from strings or numbers, else the default', () => {
    assert.equal(normPort('8443', 9443), 8443);
    assert.equal(normPort(7070, 9443), 7070);
    for (const bad of ['', 'x', 0, 70000, null, undefined]) assert.equal(normPort(bad, 9443), 9443);
  });

  it('token types, case-insensitive', () => {
    assert.equal(wireTokenType('Esna'), 'esna');
    assert.equal(wireTokenType('RESILIENCY'), 'session');
    assert.equal(wireTokenType('session'), undefined);
  });

  it('local checks: user, then secret, then token type, then gateway', () => {
    assert.equal(checkLogin({ user: 'a', secret: 'b' }, 'h'), null);
    assert.equal(checkLogin({ user: ' ', secret: 'b' }, 'h'), 'LOGIN_EMPTYUSERNAME');
    assert.equal(checkLogin({ user: '', secret: '' }, 'h'), 'LOGIN_EMPTYPASSWORD');
    assert.equal(
      checkLogin({ user: '', secret: '', tokenType: 'x' }, 'h'),
      'LOGIN_INVALID_TOKENTYPE',
    );
    assert.equal(checkLogin({ user: 'a', secret: '', tokenType: 'ESNA' }, 'h'), 'LOGIN_EMPTYTOKEN');
    assert.equal(
      checkLogin({ user: '', secret: '', tokenType: 'x' }, ''),
      'LOGIN_GW_NOTCONFIGURED',
    );
  });

  it('D10 login params and the legacy ESNA form', () => {
    assert.deepEqual(
      loginParams(
        'D10',
        'phoneservice',
        { instanceId: 1 },
        { user: '201', secret: 't', legacyToken: true, bump: true },
      ),
      {
        extn: '201',
        password: 't',
        bumpConnection: true,
        tokAuth: true,
      },
    );
    const legacy = loginParams(
      'D11',
      'agentservice',
      { instanceId: 7, id: 'app', ua: 'ua/1' },
      { user: '205', secret: 'tok', legacyToken: true },
    );
    assert.deepEqual(legacy, {
      applicationID: 'app',
      applicationUA: 'ua/1',
      applicationInstanceID: 7,
      userID: '205',
      authType: 'token',
      password: 'tok',
      authToken: { type: 'esna', token: 'tok' },
      bumpConnection: false,
    });
  });

  it('settings: dynamic DTMF payload types only; gateway STUN in D11 only', () => {
    const nat = { stun: { serverAddr: 'stun.example.org', serverPort: '' }, turn: {} };
    assert.deepEqual(readSettings({ codec: { dtmfPayLoad: '101' }, nat }, true), {
      dtmf: '101',
      stun: 'stun:stun.example.org:3478',
    });
    assert.deepEqual(readSettings({ codec: { dtmfPayLoad: 'undefined' }, nat }, false), {});
  });

  it('HA data needs both flags true and the backup gateway', () => {
    const backupGateway = { serverType: 'secondary', address: 'a', domain: '', port: '9443' };
    const ok = {
      haSupported: true,
      haEnabled: true,
      backupGateway,
      haFailoverTime: 30,
      haFailbackTime: 60,
    };
    assert.equal(haOf({ haData: ok }), ok);
    assert.equal(haOf({ haData: { ...ok, haEnabled: false } }), null);
    assert.equal(haOf({ haData: { ...ok, backupGateway: null } }), null);
    assert.equal(haOf(null), null);
  });

  it('renewal at a whole number of seconds in 60–90 % of the expiry', () => {
    assert.equal(renewDelay(20, 0), 12_000);
    assert.equal(renewDelay(20, 0.99), 17_000);
  });
});

describe('stats: AWL shape from a standard report', () => {
  it('fills the vendor keys with current values, in place', () => {
    const report = new Map<string, Record<string, unknown>>([
      ['c1', { id: 'c1', type: 'codec', mimeType: 'audio/opus' }],
      [
        'o1',
        {
          id: 'o1',
          type: 'outbound-rtp',
          kind: 'audio',
          packetsSent: 10,
          bytesSent: 1000,
          codecId: 'c1',
        },
      ],
      [
        'i1',
        {
          id: 'i1',
          type: 'inbound-rtp',
          kind: 'audio',
          packetsReceived: 9,
          bytesReceived: 900,
          packetsLost: 1,
          jitter: 0.004,
          audioLevel: 0.2,
          codecId: 'c1',
        },
      ],
      ['m1', { id: 'm1', type: 'media-source', kind: 'audio', audioLevel: 0.5 }],
      [
        'v1',
        {
          id: 'v1',
          type: 'inbound-rtp',
          kind: 'video',
          packetsReceived: 3,
          bytesReceived: 30,
          packetsLost: 0,
        },
      ],
    ]);
    const s = emptyStats();
    const audio = s.audio;
    fillStats(s, report as unknown as Parameters<typeof fillStats>[1]);
    assert.ok(Array.isArray(s));
    assert.equal(s.audio, audio);
    assert.deepEqual(s.audio, {
      googCodecName: 'opus',
      packetsSent: 10,
      bytesSent: 1000,
      packetsReceived: 9,
      bytesReceived: 900,
      packetsLost: 1,
      googJitterReceived: 4,
      audioOutputLevel: 0.2,
      audioInputLevel: 0.5,
    });
    assert.deepEqual(s.video, { packetsReceived: 3, bytesReceived: 30, packetsLost: 0 });
    report.get('i1')!.packetsReceived = 50;
    fillStats(s, report as unknown as Parameters<typeof fillStats>[1]);
    assert.equal(audio.packetsReceived, 50);
  });
});

describe('log redaction', () => {
  it('never passes passwords, tokens, TURN credentials or SDP bodies', () => {
    const out = JSON.stringify(
      redact({
        userID: '201',
        password: 'p',
        authToken: { token: 't' },
        turn: { username: 'u', credential: 'c' },
        pwd: 'x',
        sdp: 'v=0\r\na=ice-pwd:zzz',
      }),
    );
    assert.doesNotMatch(out, /"p"|"t"|"u"|"c"|"x"|zzz/);
    assert.match(out, /"userID":"201"/);
    assert.match(out, /\[sdp 18 chars\]/);
  });
});
