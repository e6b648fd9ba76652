/**
 * NetworkTest (no lit): the loopback network test of the relay service (gateway-protocol.md §9)
 * as one promise. It logs a short-lived AWL client in to the relay service, runs
 * createLoopBackConnection for a set time, samples getLoopBackStats() once a second, and ends
 * with a verdict in plain words. Usable from any framework; `<ipo-network-test>` draws it.
 */
import type { AwlConfig, RelayClient, TestTone } from './awl-client.js';
import { parseHostPort } from './config.js';
import { IpoError } from './errors.js';
import { loadBundledAwl, loadBundledTestTone } from './bundled-engine.js';
import { relayGrants } from './grants.js';
import { verdict, type Verdict } from './network-verdict.js';

/** One second of the test. Times in ms, loss in percent. */
export interface NetworkSample {
  /** seconds since the media connected */
  t: number;
  rtt: number | null;
  jitter: number;
  /** loss in this second, percent */
  loss: number;
  /** packets sent so far */
  sent: number;
}

export interface NetworkTestResult {
  samples: readonly NetworkSample[];
  /** median RTT, ms (null: the gateway never reported one) */
  rtt: number | null;
  /** median jitter, ms */
  jitter: number;
  /** loss over the whole test, percent */
  loss: number;
  sent: number;
  verdict: Verdict;
}

export interface NetworkTestOptions {
  /** The gateway as `host`, `host:port` or `[v6]:port` (port 9443 by default). */
  gateway: string;
  /** Makes the AWL client (default: the kit's bundled SDK). */
  clientFactory?: () => RelayClient | Promise<RelayClient>;
  /**
   * Gives the client the test's outgoing audio and returns its clean-up (default: the kit SDK's
   * quiet tone in a hidden `<audio>` element, through `setDomElements({relayAudioTagId})`).
   */
  testTone?: TestTone;
}

export type { RelayClient, TestTone };

export type NetworkTestState = 'idle' | 'connecting' | 'running' | 'done' | 'failed';

export type NetworkCredentials =
  | { user: string; password: string }
  | {
      user: string;
      token: string;
      tokenType?: 'ESNA' | 'RESILIENCY';
      /** The application instance a RESILIENCY (session) token is bound to. */
      instanceId?: string;
    };

/**
 * The credentials of a logged-in IpoSession for the relay service, without its password: its
 * current session token, bound to its application instance (the relay login neither uses it up
 * nor rotates it). Null when the session is not logged in or its engine cannot give one (then
 * ask for the password).
 */
export function sessionCredentials(session: object | null | undefined): NetworkCredentials | null {
  const grant = session ? relayGrants.get(session)?.() : null;
  return grant
    ? {
        user: grant.user,
        token: grant.token,
        tokenType: 'RESILIENCY',
        instanceId: grant.instanceId,
      }
    : null;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The `audio` figures of `getLoopBackStats()`, or none when the engine has not got any yet. */
const audioStats = (client: RelayClient): Record<string, unknown> =>
  (client.getLoopBackStats() as { audio?: Record<string, unknown> } | null | undefined)?.audio ??
  {};

export class NetworkTest extends EventTarget {
  state: NetworkTestState = 'idle';
  samples: NetworkSample[] = [];
  result: NetworkTestResult | null = null;
  error: IpoError | null = null;
  #stop: (() => void) | null = null;

  constructor(readonly options: NetworkTestOptions) {
    super();
  }

  /** Runs the test for `seconds` (1–120); resolves with the result, rejects with an IpoError. */
  async run(credentials: NetworkCredentials, seconds = 10): Promise<NetworkTestResult> {
    if (this.state === 'connecting' || this.state === 'running')
      throw new IpoError('invalid-state', 'A network test is already running.');
    if (!(seconds >= 1 && seconds <= 120))
      throw new IpoError('invalid-argument', 'The test lasts from 1 to 120 seconds.');
    const gw = parseHostPort(this.options.gateway ?? '', '9443');
    if (!gw)
      throw new IpoError(
        'invalid-config',
        `"${this.options.gateway}" is not a valid gateway. Use host, host:port or [IPv6]:port.`,
      );
    if (!credentials?.user)
      throw new IpoError('invalid-argument', 'Give the extension to test with.');
    this.samples = [];
    this.result = this.error = null;
    this.#set('connecting');
    let client: RelayClient | null = null;
    let stopTone = (): void => undefined;
    let timer: ReturnType<typeof setInterval> | undefined;
    try {
      client = await (this.options.clientFactory ?? defaultClient)();
      const c = client;
      const notes: Array<(n: string) => void> = [];
      const note = (n: string) =>
        new Promise<string>((resolve) => notes.push(resolve)).then((got) =>
          got === n ? got : Promise.reject(got),
        );
      const registered = new Promise<void>((resolve, reject) => {
        const config: Omit<AwlConfig, 'serviceType'> & { serviceType: 'relay' } = {
          serviceType: 'relay',
          enableVideo: false,
          Gateway: { ip: gw.ip, port: gw.port },
          Stunserver: { ip: '', port: '3478' },
          Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
          AppData: {
            applicationID: 'ipo-webrtc-kit',
            applicationUA: 'ipo-webrtc-kit network test',
            appInstanceID:
              ('instanceId' in credentials && credentials.instanceId) ||
              (c.generateAppInstanceID?.() ?? Date.now()),
          },
          disableResiliency: true,
          useGatewayPort: true,
        };
        c.setConfiguration(
          config as unknown as AwlConfig, // the relay service is the one AWL service type IpoSession never uses
          () => undefined,
          (r: { result?: string; reason?: string }) => {
            if (r.result === 'AWL_MSG_LOGIN_SUCCESS') resolve();
            else if (
              r.result !== 'AWL_MSG_LINK_ISSUE_DETECTED' &&
              r.result !== 'AWL_MSG_LOGGEDOUT'
            ) {
              reject(
                new IpoError(
                  r.result === 'AWL_MSG_LOGIN_WEBSOCKET_FAILURE'
                    ? 'connection-failed'
                    : 'login-failed',
                  `The network test could not log in: ${r.reason ?? r.result ?? 'unknown reason'}.`,
                ),
              );
            }
          },
          {
            onNewIncomingCall: () => undefined,
            onCallStateChange: () => undefined,
            onCallTerminate: () => undefined,
            onVideoStreamsAvailable: () => undefined,
            onIncomingCallRefused: () => undefined,
            onAudioStreamsAvailable: () => undefined,
            onLoopBackNotification: (n: unknown) => notes.splice(0).forEach((f) => f(String(n))),
          },
        );
      });
      stopTone = (this.options.testTone ?? (await loadBundledTestTone()))(c);
      if ('password' in credentials) c.logIn(credentials.user, credentials.password, 'true');
      else
        c.tokenLogIn?.(
          credentials.user,
          credentials.token,
          credentials.tokenType ?? 'ESNA',
          'true',
        );
      await registered;
      const up = note('AWL_MSG_LOOPBACK_CONN_SUCCESSFULL');
      c.createLoopBackConnection();
      await up.catch((n: string) => {
        throw new IpoError(
          'connection-failed',
          `The gateway's network test did not connect (${n.replace('AWL_MSG_LOOPBACK_', '').toLowerCase()}).`,
        );
      });
      this.#set('running');
      let failed: string | null = null;
      void note('never').catch((n: string) => (failed = n)); // a notification while running is a failure or link issue
      await new Promise<void>((done) => {
        let t = 0;
        this.#stop = () => done();
        timer = setInterval(() => {
          const a = audioStats(c);
          if (t > 0) {
            const s: NetworkSample = {
              t,
              rtt: typeof a.nowRTT === 'number' ? a.nowRTT * 1000 : null,
              jitter: Number(a.totJitter ?? 0) * 1000,
              loss: Number(a.nowPlossPercent ?? 0),
              sent: Number(a.totPSent ?? 0),
            };
            this.samples = [...this.samples, s];
            this.dispatchEvent(new Event('sample'));
          }
          if (++t > seconds || failed) done();
        }, 1000);
      });
      clearInterval(timer);
      if (failed)
        throw new IpoError(
          'connection-failed',
          `The network test lost its media connection (${String(failed).replace('AWL_MSG_LOOPBACK_', '').toLowerCase()}).`,
        );
      const closed = note('AWL_MSG_LOOPBACK_CONN_CLOSED').catch(() => undefined);
      c.endLoopBackConnection();
      await closed;
      const last = audioStats(c);
      const rtts = this.samples.map((s) => s.rtt).filter((r): r is number => r !== null && r > 0);
      const rtt = rtts.length ? median(rtts) : null;
      const jitter = this.samples.length ? median(this.samples.map((s) => s.jitter)) : 0;
      const loss = Number(last.totPlossPercent ?? 0) || 0;
      this.result = {
        samples: this.samples,
        rtt,
        jitter,
        loss,
        sent: Number(last.totPSent ?? 0),
        verdict: verdict(rtt ?? 0, jitter, loss),
      };
      this.#set('done');
      return this.result;
    } catch (e) {
      this.error =
        e instanceof IpoError
          ? e
          : new IpoError('connection-failed', `The network test failed: ${String(e)}`);
      this.#set('failed');
      throw this.error;
    } finally {
      clearInterval(timer);
      this.#stop = null;
      try {
        client?.logOut();
      } catch {
        /* already gone */
      }
      stopTone();
    }
  }

  /** Ends a running test early; its result covers the seconds so far. */
  stop(): void {
    this.#stop?.();
  }

  #set(state: NetworkTestState): void {
    this.state = state;
    this.dispatchEvent(new Event('change'));
  }
}

async function defaultClient(): Promise<RelayClient> {
  const AWL = (await loadBundledAwl()) as { client: new () => RelayClient };
  return new AWL.client();
}
