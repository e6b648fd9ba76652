/**
 * Non-telephony API: presence of the documented surface and constants, isWebRTCSupported,
 * getSdkVersion, generateAppInstanceID, setConfiguration (4 and 5 arguments, success and failure),
 * setDomElements, getDeviceList, STUN get/set, getAlternateServerConfig, and logging control
 * (nothing logged by default, enable/disable, setLogObject, secrets never logged).
 */
import { expect } from '@open-wc/testing';
import {
  AWL,
  CONST,
  DOCUMENTED_CONSTANTS,
  TestClient,
  cleanup,
  element,
  establish,
  gatewayInfo,
  mintToken,
  pageErrors,
  type AwlClient,
  type Ev,
} from './support.js';

const METHODS = [
  'isWebRTCSupported',
  'getSdkVersion',
  'setConfiguration',
  'enableLogging',
  'setDomElements',
  'getDeviceList',
  'setDeviceIds',
  'login',
  'logIn',
  'logout',
  'logOut',
  'isLoggedIn',
  'isloggedIn',
  'setLogObject',
  'disableLogging',
  'playVideo',
  'pauseVideo',
  'getAlternateServerConfig',
  'tokenLogin',
  'tokenLogIn',
  'generateAppInstanceID',
  'getStunConfiguration',
  'setStunConfiguration',
  'makeCall',
  'answerCall',
  'rejectCall',
  'dropCall',
  'cancelCall',
  'doHold',
  'doUnHold',
  'doMute',
  'doUnMute',
  'sendDTMF',
  'transferCall',
  'getStats',
  'addVideo',
  'removeVideo',
  'setMediaStream',
  'createLoopBackConnection',
  'endLoopBackConnection',
  'getLoopBackStats',
];

describe('AWL SDK: non-telephony API', function () {
  this.timeout(60_000);
  const errorsAtStart = pageErrors.length;
  afterEach(cleanup);

  it('exposes new AWL.client() with every documented method, and every documented constant in AWL.CONST and CONST', () => {
    expect(AWL, 'AWL').to.be.an('object');
    expect(AWL.client, 'AWL.client').to.be.a('function');
    const client = new AWL.client() as unknown as Record<string, unknown>;
    const missing = METHODS.filter((m) => typeof client[m] !== 'function');
    expect(missing, 'methods missing on new AWL.client()').to.deep.equal([]);
    for (const table of [CONST, AWL.CONST]) {
      expect(table).to.be.an('object');
      // the document compares results with string literals ("AWL_MSG_LOGIN_SUCCESS"), so each value is its name
      const wrong = DOCUMENTED_CONSTANTS.filter((name) => table[name] !== name);
      expect(wrong, 'constants missing or not equal to their name').to.deep.equal([]);
    }
  });

  it('isWebRTCSupported() is truthy in Chromium and falsy in a browser without RTCPeerConnection', () => {
    const yes = new AWL.client().isWebRTCSupported();
    // "Return type: Boolean" (§2); the Properties section also names AWL_MSG_WEBRTC_SUPPORTED as a possible value
    expect([true, 'AWL_MSG_WEBRTC_SUPPORTED']).to.include(yes);
    const saved = window.RTCPeerConnection;
    try {
      (window as unknown as { RTCPeerConnection: unknown }).RTCPeerConnection = undefined;
      const no = new AWL.client().isWebRTCSupported();
      expect([false, 'AWL_MSG_WEBRTC_NOTSUPPORTED'], 'with no RTCPeerConnection').to.include(no);
    } finally {
      window.RTCPeerConnection = saved;
    }
  });

  it('getSdkVersion() returns a version string', () => {
    const v = new AWL.client().getSdkVersion();
    expect(v).to.be.a('string');
    expect(v as string).to.match(/^\d+(\.\d+)+/);
  });

  it('generateAppInstanceID() returns a new string on every call', () => {
    const client = new AWL.client();
    const ids = Array.from({ length: 20 }, () => client.generateAppInstanceID());
    for (const id of ids) {
      expect(id, '"Return type: String"').to.be.a('string');
      expect((id as string).length).to.be.greaterThan(0);
    }
    expect(new Set(ids).size, 'all different').to.equal(ids.length);
  });

  it("setConfiguration with 4 arguments: without AppData → AWL_MSG_SETCONFIG_FAILED 'appInstanceID not set' (as the vendor's SDK); with it → SUCCESS, and that client logs in", async () => {
    const info = await gatewayInfo();
    const cfg = {
      serviceType: 'phone',
      enableVideo: false,
      Gateway: { ip: '127.0.0.1', port: String(info.port) },
      useGatewayPort: true,
      Stunserver: { ip: '', port: '3478' },
      Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
    };
    const bare = await TestClient.create({
      label: '4-arg-bare',
      cfg,
      fiveArg: false,
      noWait: true,
    });
    const refused = (await bare.waitFor('config')).args[0];
    expect(refused).to.deep.equal({
      result: 'AWL_MSG_SETCONFIG_FAILED',
      reason: 'appInstanceID not set',
    });
    // the document's sdktest.js example: AppData with an empty applInstanceID
    const withApp = {
      ...cfg,
      AppData: { applicationID: '', applicationUA: '', applInstanceID: '' },
    };
    const c = await TestClient.create({ label: '4-arg', cfg: withApp, fiveArg: false });
    const result = c.all('config')[0]!.args[0];
    expect(result.result).to.equal('AWL_MSG_SETCONFIG_SUCCESS');
    expect(result.reason, 'reason').to.be.a('string');
    const resp = await c.login('201', info.password);
    expect(resp.reason, 'login reason').to.be.a('string');
    expect(c.client.isLoggedIn()).to.equal(true);
  });

  it('setConfiguration with 5 arguments (AppData, disableResiliency, onAuthTokenRenewed) → AWL_MSG_SETCONFIG_SUCCESS exactly once', async () => {
    const c = await TestClient.create({ label: '5-arg', fiveArg: true });
    const results = c.all('config');
    expect(results.length).to.equal(1);
    expect(results[0]!.args[0].result).to.equal('AWL_MSG_SETCONFIG_SUCCESS');
    expect(c.all('reg'), 'no registration callback before login').to.deep.equal([]);
  });

  it('setConfiguration with a config that is not an object literal → AWL_MSG_SETCONFIG_FAILED with a reason, never a throw', async () => {
    for (const bad of ['phone', null, 42]) {
      const c = await TestClient.create({ label: `bad-${String(bad)}`, cfg: bad, noWait: true });
      const ev = await c.waitFor('config', undefined, {
        what: `the result for config ${JSON.stringify(bad)}`,
      });
      expect(ev.args[0].result, `config ${JSON.stringify(bad)}`).to.equal(
        'AWL_MSG_SETCONFIG_FAILED',
      );
      expect(ev.args[0].reason).to.be.a('string').and.not.equal('');
    }
  });

  it('reason strings of the config callback are those of spec §11.2', async () => {
    const ok = await TestClient.create({ label: 'ok' });
    expect(ok.all('config')[0]!.args[0].reason).to.equal('none');
    const bad = await TestClient.create({ label: 'bad', cfg: 'nonsense', noWait: true });
    const ev = await bad.waitFor('config');
    expect(ev.args[0]).to.deep.include({
      result: 'AWL_MSG_SETCONFIG_FAILED',
      reason: 'config object literal notation incorrect',
    });
  });

  it('setDomElements: existing video elements → AWL_MSG_SETDOM_SUCCESS; a missing element → AWL_MSG_SETDOM_FAILED', async () => {
    const c = await TestClient.create({ label: 'dom', enableVideo: true });
    element('video', 'basics-local');
    element('video', 'basics-remote');
    let m = c.mark();
    c.client.setDomElements({ localVideo: 'basics-local', remoteVideo: 'basics-remote' });
    let ev = await c.waitFor('config', undefined, { since: m, what: 'the setDomElements result' });
    expect(ev.args[0].result).to.equal('AWL_MSG_SETDOM_SUCCESS');
    m = c.mark();
    c.client.setDomElements({ localVideo: 'basics-local', remoteVideo: 'no-such-element' });
    ev = await c.waitFor('config', undefined, { since: m, what: 'the setDomElements result' });
    expect(ev.args[0].result).to.equal('AWL_MSG_SETDOM_FAILED');
    expect(ev.args[0].reason).to.be.a('string').and.not.equal('');
  });

  it('getDeviceList reports every fake device as [kind, label, id]', async () => {
    const c = await TestClient.create({ label: 'devices' });
    const list = await new Promise<any[]>((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error('callback_onDeviceListRequested never called')),
        10_000,
      );
      c.client.getDeviceList((l: any) => {
        clearTimeout(t);
        resolve(l);
      });
    });
    expect(list, 'device list').to.be.an('array');
    const real = await navigator.mediaDevices.enumerateDevices();
    for (const kind of ['audioinput', 'videoinput', 'audiooutput'] as const) {
      const want = real.filter((d) => d.kind === kind);
      expect(want.length, `fake ${kind} devices`).to.be.greaterThan(0);
      for (const d of want) {
        const entry = list.find(
          (e: any) => Array.isArray(e) && e[0] === kind && e[2] === d.deviceId,
        );
        expect(entry, `${kind} ${d.label} (${d.deviceId.slice(0, 8)}) in the list`).to.be.an(
          'array',
        );
        expect(entry[1], 'label').to.equal(d.label);
        expect(entry[1]).to.not.equal('');
      }
    }
    expect(list.filter((e: any) => e[0] === 'audioinput').map((e: any) => e[1])).to.include.members(
      ['Fake Audio Input 1', 'Fake Audio Input 2'],
    );
    expect(list.filter((e: any) => e[0] === 'videoinput').map((e: any) => e[1])).to.include(
      'fake_device_0',
    );
  });

  it('getStunConfiguration returns the configured STUN server; setStunConfiguration validates and replaces it', async () => {
    const c = await TestClient.create({
      label: 'stun',
      extra: { Stunserver: { ip: '192.0.2.10', port: '3478' } },
    });
    const before = c.client.getStunConfiguration();
    expect(before, 'STUN config from setConfiguration').to.be.an('object');
    expect(before).to.deep.include({ ip: '192.0.2.10', port: '3478' });
    await c.login('201');
    expect(c.client.setStunConfiguration({ ip: 'stun.example.com', port: '3479' })).to.equal(
      'AWL_MSG_SET_STUN_CONFIG_SUCCESS',
    );
    expect(c.client.getStunConfiguration()).to.deep.include({
      ip: 'stun.example.com',
      port: '3479',
    });
    for (const bad of [
      null,
      'stun.example.com',
      { ip: 'bad host name!', port: '3478' },
      { ip: 'stun.example.com', port: 'not-a-port' },
    ]) {
      expect(
        c.client.setStunConfiguration(bad),
        `setStunConfiguration(${JSON.stringify(bad)})`,
      ).to.equal('AWL_MSG_SET_STUN_CONFIG_FAILED');
    }
    expect(c.client.getStunConfiguration(), 'unchanged after refused values').to.deep.include({
      ip: 'stun.example.com',
      port: '3479',
    });
  });

  it('getAlternateServerConfig() is null: the dev gateway offers no high availability', async () => {
    const c = await TestClient.create({ label: 'ha' });
    expect(c.client.getAlternateServerConfig(), 'before login').to.equal(null);
    await c.login('202');
    expect(c.client.getAlternateServerConfig(), 'after login (haData: haSupported false)').to.equal(
      null,
    );
  });

  describe('logging', () => {
    const METHODS_LOGGED = [
      'log',
      'info',
      'warn',
      'error',
      'debug',
      'trace',
      'dir',
      'table',
    ] as const;
    type Line = { via: string; text: string };

    /** Captures console output while `fn` runs. */
    async function captureConsole(fn: () => Promise<void>): Promise<Line[]> {
      const lines: Line[] = [];
      const c = console as unknown as Record<string, (...a: unknown[]) => void>;
      const saved = METHODS_LOGGED.map((m) => [m, c[m]] as const);
      for (const m of METHODS_LOGGED)
        c[m] = (...args: unknown[]) =>
          lines.push({ via: `console.${m}`, text: args.map(flatten).join(' ') });
      try {
        await fn();
      } finally {
        for (const [m, f] of saved) c[m] = f!;
      }
      return lines;
    }

    function flatten(x: unknown): string {
      if (typeof x === 'string') return x;
      const seen = new WeakSet<object>();
      try {
        return (
          JSON.stringify(x, (_k, v: unknown) => {
            if (v && typeof v === 'object') {
              if (seen.has(v)) return '[circular]';
              seen.add(v);
            }
            return v;
          }) ?? String(x)
        );
      } catch {
        return String(x);
      }
    }

    /** Exercises the SDK: configuration (with TURN credentials), password login, a call, token login, logout. */
    async function activity(
      tag: string,
      setup?: (c: AwlClient) => void,
    ): Promise<{ secrets: string[] }> {
      const info = await gatewayInfo();
      const turnPwd = `turn-secret-${tag}-Zq81`;
      const a = await TestClient.create({
        label: `log-a-${tag}`,
        extra: { Turnserver: { ip: '', port: '3478', user: 'turnuser', pwd: turnPwd } },
      });
      setup?.(a.client);
      const b = await TestClient.create({ label: `log-b-${tag}` });
      setup?.(b.client);
      const resp = await a.login('203');
      await b.login('204');
      const call = await establish(a, b);
      const m = a.mark();
      a.client.dropCall(call.aId);
      await a.waitTerminate(call.aId, m);
      await b.logoutAndWait();
      // token login (ESNA, as a one-X server would issue it)
      const esna = await mintToken('204', 'esna');
      const mb = b.mark();
      b.client.tokenLogIn('204', esna, 'ESNA', 'true');
      const r = await b.waitFor('reg', undefined, { since: mb });
      expect(r.args[0].result, 'ESNA token login').to.equal('AWL_MSG_LOGIN_SUCCESS');
      await a.logoutAndWait();
      await b.logoutAndWait();
      const secrets = [info.password, turnPwd, esna];
      if (resp.authToken?.token) secrets.push(String(resp.authToken.token));
      return { secrets };
    }

    it('logs nothing by default', async () => {
      const lines = await captureConsole(async () => {
        await activity('default');
      });
      expect(lines.map((l) => `${l.via}: ${l.text.slice(0, 120)}`)).to.deep.equal([]);
    });

    it('enableLogging() logs to the console without any password or token; disableLogging() silences it again', async () => {
      let secrets: string[] = [];
      const on = await captureConsole(async () => {
        ({ secrets } = await activity('on', (c) => c.enableLogging()));
      });
      expect(on.length, 'lines logged with logging enabled').to.be.greaterThan(0);
      for (const s of secrets) {
        const leaking = on.filter((l) => l.text.includes(s));
        expect(
          leaking.map((l) => l.text.slice(0, 200)),
          `a secret (${s.slice(0, 6)}…) in the log`,
        ).to.deep.equal([]);
      }
      const off = await captureConsole(async () => {
        await activity('off', (c) => {
          c.enableLogging();
          c.disableLogging();
        });
      });
      expect(
        off.map((l) => l.text.slice(0, 120)),
        'after disableLogging',
      ).to.deep.equal([]);
    });

    it('setLogObject(obj) sends the log lines to obj instead of the console, still without secrets', async () => {
      const received: Line[] = [];
      const logObject: Record<string, (...a: unknown[]) => void> = {};
      for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace'])
        logObject[m] = (...args: unknown[]) =>
          received.push({ via: m, text: args.map(flatten).join(' ') });
      let secrets: string[] = [];
      const onConsole = await captureConsole(async () => {
        ({ secrets } = await activity('obj', (c) => {
          c.setLogObject(logObject);
          c.enableLogging();
        }));
      });
      expect(received.length, 'lines received by the log object').to.be.greaterThan(0);
      expect(
        onConsole.map((l) => l.text.slice(0, 120)),
        'console output while a log object is set',
      ).to.deep.equal([]);
      for (const s of secrets) {
        expect(
          received.filter((l) => l.text.includes(s)).map((l) => l.text.slice(0, 200)),
          `a secret (${s.slice(0, 6)}…) in the log`,
        ).to.deep.equal([]);
      }
    });
  });

  it('setConfiguration callbacks are delivered once each and in order (config before registration)', async () => {
    const c = await TestClient.create({ label: 'order' });
    await c.login('202');
    const kinds = c.events.map((e: Ev) => e.kind);
    expect(kinds.slice(0, 2)).to.deep.equal(['config', 'reg']);
    expect(c.all('token'), 'no token renewal result on a gateway without resiliency').to.deep.equal(
      [],
    );
  });

  it('no callback path threw into the page during this suite', () => {
    expect(pageErrors.slice(errorsAtStart)).to.deep.equal([]);
  });
});
