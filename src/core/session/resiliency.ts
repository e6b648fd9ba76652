/**
 * Resiliency facts in the snapshot: whether the gateway's HA is active (the engine holds a
 * session token), a link issue, the last token renewal and the backup gateway the engine knows.
 * The engine does the failing over; this part only reports it.
 */
import type { AwlClient } from '../awl-client.js';
import type { Resiliency } from '../snapshot.js';
import type { EngineEventOf } from './engine-events.js';
import { quietly } from './failures.js';
import type { SnapshotStore } from './store.js';

export const initialResiliency = (enabled: boolean): Resiliency =>
  Object.freeze({ enabled, active: false, linkIssue: false, tokenRenewal: null, alternate: null });

export class ResiliencyPart {
  constructor(readonly store: SnapshotStore) {}

  /** A (re)login succeeded: HA is active when a token came with it; the backup may have changed. */
  registered(client: AwlClient, hasToken: boolean): void {
    const alt = quietly(() => client.getAlternateServerConfig?.());
    const current = this.store.parts.resiliency.alternate;
    const alternate = alt?.address
      ? current &&
        current.address === alt.address &&
        current.port === (alt.port ?? '') &&
        current.serverType === (alt.serverType ?? '')
        ? current
        : Object.freeze({
            address: alt.address,
            port: alt.port ?? '',
            serverType: alt.serverType ?? '',
          })
      : null;
    // The token itself is a secret and is not kept; only whether one exists.
    this.#set({ active: hasToken, linkIssue: false, alternate });
  }

  /** `AWL_MSG_LINK_ISSUE_DETECTED`: keep-alives stopped; cleared by the next (re)login. */
  linkIssue(): void {
    this.#set({ linkIssue: true });
  }

  tokenRenewal(event: EngineEventOf<'token-renewal'>): void {
    if (event.result === 'AWL_MSG_TOKEN_RENEW_SUCCESS') this.#set({ tokenRenewal: 'ok' });
    else if (event.result === 'AWL_MSG_TOKEN_RENEW_FAILED') this.#set({ tokenRenewal: 'failed' });
  }

  /** Logged out or failed: nothing is active any more. */
  reset(): void {
    this.#set({ active: false, linkIssue: false, tokenRenewal: null, alternate: null });
  }

  #set(patch: Partial<Resiliency>): void {
    const current = this.store.parts.resiliency;
    const keys = Object.keys(patch) as (keyof Resiliency)[];
    if (keys.every((k) => Object.is(patch[k], current[k]))) return;
    this.store.set({ resiliency: Object.freeze({ ...current, ...patch }) });
  }
}
