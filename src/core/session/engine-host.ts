/**
 * The engine host: finds the engine (a given client, a factory, our bundled SDK or the page's
 * `window.AWL`), checks its shape, configures it once, and turns its callbacks into
 * `EngineEvent`s for the session. Each callback is guarded: nothing reaches the session after
 * dispose or from a replaced engine, each runs in one snapshot batch, and our own bugs never
 * unwind into the engine (they are rethrown on a fresh stack instead).
 */
import {
  missingClientMethods,
  type AwlCall,
  type AwlCallListener,
  type AwlClient,
  type AwlConfig,
  type AwlResponse,
} from '../awl-client.js';
import { IpoError } from '../errors.js';
import { loadBundledAwl } from '../bundled-engine.js';
import type { EngineEvent } from './engine-events.js';
import { disposedError, err, notLoggedIn, quietly, readText, withReason } from './failures.js';
import type { SessionSettings } from './options.js';
import type { SnapshotStore } from './store.js';
import { DONE, KEEP_WAITING, type Waiters } from './waiters.js';

export class EngineHost {
  #client: AwlClient | null = null;
  #ready: Promise<AwlClient> | null = null;
  /** The instance id to configure the engine with (a shared take-over adopts the old leader's). */
  #instanceId: string | null = null;
  /** The instance id the engine was configured with. */
  #configuredId: string | null = null;

  readonly #settings: SessionSettings;
  /** The AWL `cfg` built from the options (validated in the IpoSession constructor). */
  readonly #config: AwlConfig;
  readonly #store: SnapshotStore;
  readonly #waiters: Waiters;
  /** Where engine events go (the session's router). */
  readonly #deliver: (event: EngineEvent) => void;

  constructor(
    settings: SessionSettings,
    /** The AWL `cfg` built from the options (validated in the IpoSession constructor). */
    config: AwlConfig,
    store: SnapshotStore,
    waiters: Waiters,
    /** Where engine events go (the session's router). */
    deliver: (event: EngineEvent) => void,
  ) {
    this.#settings = settings;
    this.#config = config;
    this.#store = store;
    this.#waiters = waiters;
    this.#deliver = deliver;
  }

  /** The configured engine, or null before the first action that needs one. */
  get client(): AwlClient | null {
    return this.#client;
  }

  /** The configured engine; throws 'not-logged-in' when there is none yet. */
  require(): AwlClient {
    if (!this.#client) throw notLoggedIn();
    return this.#client;
  }

  /** The configured engine, loading and configuring it on first use. */
  ensure(): Promise<AwlClient> {
    if (this.#store.disposed) return Promise.reject(disposedError());
    return (this.#ready ??= this.#create().catch((error: unknown) => {
      this.#ready = null; // a later action may retry (e.g. window.AWL loaded late)
      throw error;
    }));
  }

  /**
   * Configures the engine with this application instance id (a shared take-over: the old
   * leader's session token is bound to its instance). False when an engine with another id is
   * already configured.
   */
  adoptInstanceId(id: string): boolean {
    if (this.#ready) return this.#configuredId === id;
    this.#instanceId = id;
    return true;
  }

  /** Forgets the engine (dispose); its late callbacks are dropped by the guard. */
  release(): void {
    this.#client = null;
  }

  async #create(): Promise<AwlClient> {
    const client = await this.#resolve();
    if (this.#store.disposed) throw disposedError();
    const missing = missingClientMethods(client);
    if (missing.length > 0) {
      throw err(
        'sdk-unavailable',
        `The telephony engine is incomplete (missing ${missing.join(', ')}).`,
      );
    }
    const options = this.#settings.options;
    if (options.log === true) quietly(() => client.enableLogging?.());
    const config: AwlConfig = {
      ...this.#config,
      AppData: {
        ...this.#config.AppData,
        appInstanceID:
          this.#instanceId ??
          options.appInstanceId ??
          quietly(() => client.generateAppInstanceID?.()) ??
          globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!,
      },
    };
    this.#configuredId = String(config.AppData.appInstanceID);
    const waiter = this.#waiters.wait<void>({
      ms: this.#settings.timeouts.config,
      match: (event) =>
        event.type !== 'config'
          ? KEEP_WAITING
          : event.result === 'AWL_MSG_SETCONFIG_SUCCESS'
            ? DONE
            : event.result === 'AWL_MSG_SETCONFIG_FAILED'
              ? err(
                  'invalid-config',
                  withReason('The telephony engine rejected the configuration', event.reason),
                  { reason: event.reason },
                )
              : KEEP_WAITING,
      onTimeout: () => err('timeout', 'The telephony engine did not confirm its configuration.'),
    });
    this.#client = client;
    waiter.start(
      () => client.setConfiguration(config, ...this.#callbacks(client)),
      'invalid-config',
      'The telephony engine rejected the configuration.',
    );
    try {
      await waiter.promise;
    } catch (error) {
      if (this.#client === client) this.#client = null;
      throw error;
    }
    return client;
  }

  async #resolve(): Promise<AwlClient> {
    const options = this.#settings.options;
    if (options.client) return options.client;
    try {
      if (options.clientFactory) return await options.clientFactory();
      const global = options.sdk === 'global';
      const awl = global ? (globalThis as { AWL?: unknown }).AWL : await loadBundledAwl();
      const Client = (awl as { client?: unknown } | undefined)?.client;
      if (typeof Client !== 'function') {
        throw err(
          'sdk-unavailable',
          global
            ? 'No AWL SDK is loaded on this page (window.AWL.client is missing).'
            : 'The bundled telephony engine is missing AWL.client.',
        );
      }
      return new (Client as new () => AwlClient)();
    } catch (cause) {
      throw cause instanceof IpoError
        ? cause
        : err('sdk-unavailable', 'The telephony engine could not be loaded.', { cause });
    }
  }

  /** The four callbacks for `setConfiguration`, each delivering one EngineEvent. */
  #callbacks(
    client: AwlClient,
  ): [
    (r: AwlResponse) => void,
    (r: AwlResponse) => void,
    AwlCallListener,
    (r: AwlResponse) => void,
  ] {
    const guard =
      <A extends unknown[]>(toEvent: (...args: A) => EngineEvent) =>
      (...args: A): void => {
        if (this.#store.disposed || this.#client !== client) return;
        try {
          this.#store.batch(() => this.#deliver(toEvent(...args)));
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      };
    const streams = (video: boolean) =>
      guard((callId: string, local: MediaStream, remote: MediaStream): EngineEvent => ({
        type: 'streams',
        callId: String(callId),
        local,
        remote,
        video,
      }));
    return [
      guard((r: AwlResponse) => ({
        type: 'config',
        result: readText(() => r.result),
        reason: readText(() => r.reason),
      })),
      guard((r: AwlResponse) => ({
        type: 'registration',
        result: readText(() => r.result),
        reason: readText(() => r.reason),
        hasToken: Boolean(quietly(() => r.authToken?.token)),
      })),
      {
        onNewIncomingCall: guard((callId: string, call: AwlCall) => ({
          type: 'incoming-call',
          callId: String(callId),
          call,
        })),
        onCallStateChange: guard((callId: string, call: AwlCall, state: string | undefined) => ({
          type: 'call-state',
          callId: String(callId),
          call,
          awlState: state,
        })),
        onCallTerminate: guard((callId: string, reason: string) => ({
          type: 'call-ended',
          callId: String(callId),
          reason: readText(() => reason),
        })),
        onLoopBackNotification: () => undefined, // the network test is not part of a phone session
        // an invalid offer the engine refused on the wire (and logged): never a call, but the
        // person is told, as the last outcome, that a call could not be taken
        onIncomingCallRefused: guard((callId: string, reason: string) => ({
          type: 'incoming-refused',
          callId: String(callId),
          reason: readText(() => reason),
        })),
        onVideoStreamsAvailable: streams(true),
        onAudioStreamsAvailable: streams(false),
      },
      guard((r: AwlResponse) => ({ type: 'token-renewal', result: readText(() => r.result) })),
    ];
  }
}
