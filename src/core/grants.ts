/**
 * How a NetworkTest runs on a logged-in IpoSession without asking for the password again: each
 * session registers a reader of its current relay grant (the engine's session token and the
 * application instance it is bound to). Module-private to the core: the grant is a secret, so it
 * is not on the session's public API, in its snapshot, or in any event.
 */
export interface RelayGrant {
  user: string;
  token: string;
  instanceId: string;
}

export const relayGrants = new WeakMap<object, () => RelayGrant | null>();
