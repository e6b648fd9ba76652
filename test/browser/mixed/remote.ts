/**
 * A call party in the other browser: Firefox when this test runs in Chromium, Chromium when it
 * runs in Firefox. `run(body)` runs an async function body in that party's page, with `party`
 * (the SDK suites' helpers, ./party.ts) and `args` in scope, and returns its (JSON) result.
 */
import { executeServerCommand } from '@web/test-runner-commands';

export const HERE = /firefox/i.test(navigator.userAgent) ? 'firefox' : 'chromium';
export const THERE = HERE === 'firefox' ? 'chromium' : 'firefox';

export class Remote {
  private constructor(
    readonly id: string,
    readonly browser: string,
  ) {}

  static async open(browser = THERE): Promise<Remote> {
    const r = await executeServerCommand<{ id: string }, { op: string; browser: string }>(
      'ipo-party',
      { op: 'open', browser },
    );
    return new Remote(r!.id, browser);
  }

  async run<T = unknown>(body: string, args: unknown = null): Promise<T> {
    const r = await executeServerCommand<
      { ok: boolean; value?: T; error?: string },
      { op: string; id: string; body: string; args: unknown }
    >('ipo-party', { op: 'run', id: this.id, body, args });
    if (!r?.ok) throw new Error(`${this.browser} party: ${r?.error ?? 'no answer'}`);
    return r.value as T;
  }

  async close(): Promise<void> {
    await executeServerCommand('ipo-party', { op: 'close', id: this.id });
  }
}
