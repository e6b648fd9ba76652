/**
 * One gateway per describe block: started before, stopped (SIGTERM, exit 0, clean logs) after.
 * Clients opened through the suite are logged out and closed after each test, and every frame
 * they received must have obeyed the envelope rules.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before } from 'node:test';
import { Gateway, type StartOptions } from './gateway.js';
import { RawClient, secrets, type ConnectOptions, type LoginOptions } from './raw-client.js';

export interface Suite {
  readonly gw: Gateway;
  connect(opts?: ConnectOptions): Promise<RawClient>;
  /** Connects (D11 unless `protocols` says otherwise) and logs in; asserts "200" unless `expect` is set. */
  login(user: string, opts?: LoginOptions & ConnectOptions): Promise<RawClient>;
}

export function useGateway(opts: StartOptions = {}): Suite {
  let gw: Gateway | undefined;
  const clients: RawClient[] = [];
  const suite: Suite = {
    get gw() {
      assert.ok(gw, 'gateway not started');
      return gw;
    },
    async connect(o = {}) {
      const client = await RawClient.connect(suite.gw.wsUrl, {
        origin: suite.gw.origin,
        userAgent: `ipo-kit-tests/${clients.length + 1}`,
        ...o,
      });
      clients.push(client);
      return client;
    },
    async login(user, o = {}) {
      const client = await suite.connect({ service: o.service ?? 'phoneservice', ...o });
      await client.login(user, o);
      return client;
    },
  };
  before(async () => {
    gw = await Gateway.start(opts);
  });
  afterEach(async () => {
    const used = clients.splice(0);
    await Promise.all(used.map((c) => c.dispose()));
    const violations = used.flatMap((c) => c.violations.map((v) => `[${c.label}] ${v}`));
    assert.deepEqual(violations, [], 'frames from the gateway broke the envelope rules');
  });
  after(async () => {
    if (!gw) return;
    if (gw.running) await gw.stop();
    gw.assertLogsClean(secrets);
  });
  return suite;
}
