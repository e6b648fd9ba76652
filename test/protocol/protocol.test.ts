import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildEvent,
  buildRequest,
  buildResponse,
  dialectForSubprotocol,
  isTruthyFlag,
  numberFromSipUri,
  parseInbound,
  parseRequest,
  splitFarEndDn,
} from '../../src/protocol/index.js';

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n';
const frame = (o: Record<string, unknown>) =>
  JSON.stringify({ protocol: 'jsonrpc-3.0.0', id: 'r1', service: 'phoneservice', ...o });

describe('protocol: requests (gateway side)', () => {
  it('accepts a D11 password login with a numeric instance id and a boolean bump flag', () => {
    const text = buildRequest(
      'D11',
      'phoneservice',
      'login',
      {
        applicationID: 'app',
        applicationUA: 'ua',
        applicationInstanceID: 245919480,
        userID: '201',
        authType: 'password',
        password: 'pw',
        authToken: null,
        bumpConnection: false,
      },
      'id-1',
    );
    const parsed = parseRequest(text, 'D11');
    assert.ok(parsed.ok);
    assert.equal(parsed.message.msgname, 'login');
    assert.equal(JSON.parse(text).protocol, 'jsonrpc-3.0.0');
  });

  it('accepts the string form of bumpConnection and a D10 login shape on D10 only', () => {
    assert.ok(
      parseRequest(
        frame({
          msgname: 'login',
          params: {
            userID: '201',
            authType: 'password',
            password: 'x',
            authToken: null,
            bumpConnection: 'true',
          },
        }),
        'D11',
      ).ok,
    );
    const d10 = JSON.stringify({
      protocol: 'jsonrpc-2.0.0',
      id: 'a',
      service: 'phoneservice',
      msgname: 'login',
      params: { extn: '201', password: 'x', bumpConnection: 'false', tokAuth: false },
    });
    assert.ok(parseRequest(d10, 'D10').ok);
    const r = parseRequest(d10, 'D11');
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'wrong-protocol');
  });

  it('gives a precise error for each kind of bad frame', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['{not json', 'not-json', /not valid JSON/],
      ['[1,2]', 'not-object', /JSON object/],
      [
        JSON.stringify({
          protocol: 'jsonrpc-3.0.0',
          id: 'x',
          service: 'phoneservice',
          msgname: 'endCall',
        }),
        'bad-envelope',
        /"params" is missing/,
      ],
      [
        frame({ id: null, msgname: 'endCall', params: { callId: 'c' } }),
        'bad-envelope',
        /id must be a string/,
      ],
      [
        frame({ service: 'other', msgname: 'endCall', params: { callId: 'c' } }),
        'bad-envelope',
        /service must be one of/,
      ],
      [
        frame({ msgname: 'dance', params: {} }),
        'unknown-msgname',
        /unknown request msgname "dance"/,
      ],
      [
        frame({ msgname: 'endCall', params: { callId: 42 } }),
        'bad-params',
        /params\.callId must be a string \(got number\)/,
      ],
      [
        frame({ msgname: 'makeCall', params: { target: '202', callId: 'c1', sdp: 'hello' } }),
        'bad-params',
        /params\.sdp must be an SDP body/,
      ],
      [
        frame({ msgname: 'makeCall', params: { target: '<script>', callId: 'c1', sdp: SDP } }),
        'bad-params',
        /params\.target must be a dial string/,
      ],
      [frame({ msgname: 'holdCall', params: null }), 'bad-params', /params must be an object/],
      [
        frame({
          msgname: 'login',
          params: { userID: '201', authType: 'token', authToken: { token: 5 } },
        }),
        'bad-params',
        /params\.authToken\.token must be a string/,
      ],
    ];
    for (const [text, code, message] of cases) {
      const r = parseRequest(text, 'D11');
      assert.ok(!r.ok, text);
      assert.equal(r.error.code, code, text);
      assert.match(r.error.message, message, text);
    }
  });

  it('keeps id, msgname and callId of a bad frame so the answer can be correlated', () => {
    const r = parseRequest(
      frame({ msgname: 'holdCall', params: { callId: 'c-9', extra: 1, sdp: 3 } }),
      'D11',
    );
    assert.ok(r.ok, 'undeclared members are ignored');
    const bad = parseRequest(
      frame({ msgname: 'transferCall', params: { callId: 'c-9', target: 7, type: 'attended' } }),
      'D11',
    );
    assert.ok(!bad.ok);
    assert.deepEqual(
      [bad.error.id, bad.error.msgname, bad.error.callId],
      ['r1', 'transferCall', 'c-9'],
    );
  });

  it('accepts logout with null params and bounds every string', () => {
    assert.ok(parseRequest(frame({ msgname: 'logout', params: null }), 'D11').ok);
    const huge = parseRequest(
      frame({
        msgname: 'makeCall',
        params: { target: '1', callId: 'c', sdp: 'v=0' + 'a'.repeat(70_000) },
      }),
      'D11',
    );
    assert.ok(!huge.ok);
    assert.match(huge.error.message, /at most 65536/);
  });
});

describe('protocol: responses and events (client side)', () => {
  it('parses keepalive, typed responses and events', () => {
    assert.deepEqual(parseInbound('keepalive', 'D11'), {
      ok: true,
      message: { kind: 'keepalive' },
    });
    const resp = parseInbound(
      buildResponse(
        'D11',
        'phoneservice',
        'holdCallResponse',
        { responseCode: '200', responseString: 'OK', callId: 'c1' },
        'x',
      ),
      'D11',
    );
    assert.ok(
      resp.ok &&
        resp.message.kind === 'response' &&
        resp.message.envelope.msgname === 'holdCallResponse',
    );
    const ev = parseInbound(
      buildEvent(
        'D11',
        'phoneservice',
        'IncomingCall',
        { callId: 'c', sdp: SDP, sipUri: null },
        'e',
      ),
      'D11',
    );
    assert.ok(ev.ok && ev.message.kind === 'event');
  });

  it('refuses a numeric responseCode and an IncomingCall without sipUri', () => {
    const bad = parseInbound(
      frame({ msgname: 'loginResponse', params: { responseCode: 200 } }),
      'D11',
    );
    assert.ok(!bad.ok);
    assert.match(bad.error.message, /responseCode must be a string/);
    const noUri = parseInbound(
      frame({ msgname: 'IncomingCall', params: { callId: 'c', sdp: SDP } }),
      'D11',
    );
    assert.ok(!noUri.ok);
    assert.match(noUri.error.message, /sipUri is missing/);
  });

  it('validates nested settings: nat.turn.enforce must be a string', () => {
    const bad = parseInbound(
      frame({
        msgname: 'gatewaySettingsResponse',
        params: { responseCode: '200', nat: { stun: {}, turn: { enforce: true } } },
      }),
      'D11',
    );
    assert.ok(!bad.ok);
    assert.match(bad.error.message, /params\.nat\.turn\.enforce must be a string/);
  });
});

describe('protocol: helpers', () => {
  it('maps subprotocols, flags, display names and SIP URIs', () => {
    assert.equal(dialectForSubprotocol('jsonrpc-3.0'), 'D11');
    assert.equal(dialectForSubprotocol('jsonrpc'), 'D10');
    assert.equal(dialectForSubprotocol(''), 'D10');
    assert.equal(isTruthyFlag('TRUE'), true);
    assert.equal(isTruthyFlag('false'), false);
    assert.equal(isTruthyFlag(1), false);
    assert.deepEqual(splitFarEndDn('Alice Smith[Sales]'), {
      name: 'Alice Smith',
      subject: 'Sales',
    });
    assert.deepEqual(splitFarEndDn('Reception'), { name: 'Reception', subject: '' });
    assert.equal(numberFromSipUri('sip:201@pbx'), '201');
    assert.equal(numberFromSipUri(null), '');
  });
});
