/**
 * Registration: login, token login and logout, and the registration state the engine reports.
 *
 *                 login() / tokenLogin()            LOGIN_SUCCESS
 *   logged-out ─────────────────────────► logging-in ─────────────► logged-in ◄──────────┐
 *     ▲   ▲                                  │                       │   RELOGGED_IN,      │
 *     │   │ timeout, failure                 │ LOGIN_FAILED …        │   FAIL_BACK_SUCCESS │
 *     │   └──────── error ◄──────────────────┘   RECONNECTING,       ▼                     │
 *     │               ▲  (login() again)          FAILING_OVER,   reconnecting             │
 *     │               └──── *_FAILED ──────────── FAILING_BACK ──► failing-over ───────────┤
 *     │                                                            failing-back     FAIL_OVER_SUCCESS
 *     └── LOGGEDOUT, logout(), dispose() (from any state)                            → failed-over
 *
 * The engine's results move the state from wherever it is (RESULT_RULES below); the session's
 * own transitions are login → logging-in, a failed or timed-out login → error, and
 * logout/dispose → logged-out. Entering logged-out or error ends every call and resets
 * resiliency (explicit calls to those parts in `#enter`).
 */
import type { AwlClient } from '../awl-client.js';
import { parseHostPort } from '../config.js';
import { diagnoseConnection, loginFailureDetails, problemMessage } from '../diagnose.js';
import { IpoError, type IpoErrorCode } from '../errors.js';
import { isRegistered, type RegistrationState } from '../snapshot.js';
import type { CallList } from './calls.js';
import type { EngineEventOf } from './engine-events.js';
import type { EngineHost } from './engine-host.js';
import { MIC_BLOCKED, err, invalidArgument, quietly, unsupported, withReason } from './failures.js';
import { seconds, type LoginOptions, type SessionSettings, type TokenType } from './options.js';
import type { ResiliencyPart } from './resiliency.js';
import { canLogin, type SnapshotStore } from './store.js';
import { DONE, KEEP_WAITING, type Waiters } from './waiters.js';

/**
 * `onRegistrationStateChanged` results (§11.2) without their `AWL_MSG_` prefix →
 * [next state ('' = unchanged), error code, message]. A message without a full stop gets the
 * engine's reason appended. Results not listed change nothing.
 */
type Rule = readonly [RegistrationState | '', IpoErrorCode?, string?];
const RESULT_RULES: Readonly<Record<string, Rule>> = {
  LOGIN_SUCCESS: ['logged-in'],
  RELOGGED_IN: ['logged-in'],
  FAIL_BACK_SUCCESS: ['logged-in'],
  FAIL_OVER_SUCCESS: ['failed-over'],
  RECONNECTING: ['reconnecting'],
  FAILING_OVER: ['failing-over'],
  FAILING_BACK: ['failing-back'],
  LOGGEDOUT: ['logged-out'],
  LOGIN_FAILED: ['error', 'login-failed', 'Login failed'],
  LOGIN_WEBSOCKET_FAILURE: [
    'error',
    'connection-failed',
    'Could not connect to the telephone system',
  ],
  FAIL_OVER_FAILED: ['error', 'connection-failed', 'Could not move to the backup gateway'],
  FAIL_BACK_FAILED: ['error', 'connection-failed', 'Could not move back to the main gateway'],
  LOGIN_EMPTYUSERNAME: ['error', 'invalid-argument', 'Enter your extension or user name.'],
  LOGIN_EMPTYPASSWORD: ['error', 'invalid-argument', 'Enter your password.'],
  LOGIN_EMPTYTOKEN: ['error', 'invalid-argument', 'The login token is empty.'],
  LOGIN_INVALID_TOKENTYPE: [
    'error',
    'invalid-argument',
    'The token type must be ESNA or RESILIENCY.',
  ],
  LOGIN_GW_NOTCONFIGURED: ['error', 'invalid-config', 'No gateway address is configured.'],
  DEVICEACCESS_FAILURE: ['error', 'media-failed', 'The microphone or camera could not be opened.'],
  DUPLICATE_LOGIN: ['', 'already-logged-in', 'This phone is already logged in.'],
};

/** The rule for an engine result; `['']` (no change) when unknown. */
function ruleFor(result: string): Rule {
  const key = result.slice(8);
  return (
    (result.startsWith('AWL_MSG_') && Object.hasOwn(RESULT_RULES, key) && RESULT_RULES[key]) || ['']
  );
}

/** The state an engine result leads to ('' = unchanged). */
const nextState = (result: string): RegistrationState | '' => ruleFor(result)[0];

export class RegistrationPart {
  readonly #settings: SessionSettings;
  readonly #store: SnapshotStore;
  readonly #waiters: Waiters;
  readonly #engine: EngineHost;
  readonly #calls: CallList;
  readonly #resiliency: ResiliencyPart;

  constructor(
    settings: SessionSettings,
    store: SnapshotStore,
    waiters: Waiters,
    engine: EngineHost,
    calls: CallList,
    resiliency: ResiliencyPart,
  ) {
    this.#settings = settings;
    this.#store = store;
    this.#waiters = waiters;
    this.#engine = engine;
    this.#calls = calls;
    this.#resiliency = resiliency;
  }

  login(user: string, password: string, options: LoginOptions): Promise<void> {
    return this.#register(
      user,
      options,
      () => {
        if (typeof password !== 'string' || password === '')
          throw invalidArgument('Enter your password.');
      },
      (client, name, bump) => client.logIn(name, password, bump),
    );
  }

  tokenLogin(user: string, token: string, type: TokenType, options: LoginOptions): Promise<void> {
    const kind = typeof type === 'string' ? type.toUpperCase() : '';
    return this.#register(
      user,
      options,
      () => {
        if (typeof token !== 'string' || token === '')
          throw invalidArgument('The login token is empty.');
        if (kind !== 'ESNA' && kind !== 'RESILIENCY')
          throw invalidArgument('The token type must be ESNA or RESILIENCY.');
      },
      (client, name, bump) => {
        if (typeof client.tokenLogIn !== 'function')
          throw unsupported('cannot log in with a token');
        client.tokenLogIn(name, token, kind, bump);
      },
    );
  }

  logout(): Promise<void> {
    return this.#store.act(async () => {
      const client = this.#engine.client;
      if (canLogin(this.#store.parts.registration.state)) return;
      if (!client) {
        // Still loading the engine: the pending login sees this and gives up.
        this.#store.batch(() => this.enter('logged-out', ''));
        return;
      }
      const waiter = this.#waiters.wait<void>({
        ms: this.#settings.timeouts.logout,
        match: (event) => {
          const next = event.type === 'registration' && nextState(event.result);
          return next === 'logged-out' || next === 'error' ? DONE : KEEP_WAITING;
        },
        onTimeout: () => {
          // Our view must not claim a registration the user asked to end.
          this.enter('logged-out', '');
          return err(
            'timeout',
            'The gateway did not confirm the logout; the phone was logged out locally.',
          );
        },
      });
      waiter.start(
        () => client.logOut(),
        'connection-failed',
        'The telephony engine could not log out.',
      );
      await waiter.promise;
    });
  }

  /** An `onRegistrationStateChanged` from the engine. */
  onEngine(client: AwlClient, event: EngineEventOf<'registration'>): void {
    const { result, reason } = event;
    const [state, code, text = ''] = ruleFor(result);
    let error: IpoError | undefined;
    if (code) {
      // a known cause gets a message that says what to do (never the raw reason, e.g. a UA)
      const details =
        code === 'media-failed'
          ? MIC_BLOCKED
          : code === 'login-failed'
            ? loginFailureDetails(reason, this.#store.parts.registration.state)
            : undefined;
      error = details
        ? err(code, problemMessage(details), { reason, details })
        : err(code, /\.$/.test(text) ? text : withReason(text, reason), { reason });
      this.#store.set({ error });
    }
    if (result === 'AWL_MSG_LINK_ISSUE_DETECTED') this.#resiliency.linkIssue();
    if (state) this.enter(state, reason);
    if (state && isRegistered(state)) {
      this.#resiliency.registered(client, event.hasToken);
      this.#store.set({ error: null });
    }
    this.#waiters.notify({ ...event, error });
  }

  /**
   * Moves to `state`. Without a registration no call survives (the engine normally ended them
   * already) and nothing of resiliency is active.
   */
  enter(state: RegistrationState, reason: string): void {
    const current = this.#store.parts.registration;
    if (current.state !== state || current.reason !== reason) {
      this.#store.set({ registration: Object.freeze({ state, reason }) });
    }
    if (canLogin(state)) {
      this.#calls.endAll();
      this.#resiliency.reset();
      if (state === 'logged-out') this.#store.set({ user: null });
    }
  }

  /**
   * A login that could not reach the gateway: probes its address to say why (wrong port, host
   * typo, gateway down, origin not allowed, certificate) and shows that error instead.
   */
  async #diagnose(error: unknown): Promise<unknown> {
    if (!(error instanceof IpoError) || error.code !== 'connection-failed' || error.details)
      return error;
    const gw = parseHostPort(String(this.#settings.options.gateway ?? ''), '9443');
    const details = gw
      ? await diagnoseConnection(gw.ip, String(gw.port)).catch(() => undefined)
      : undefined;
    if (!details) return error;
    const better = err(error.code, problemMessage(details), {
      cause: error.cause,
      reason: error.reason,
      details,
    });
    // shown unless something newer replaced the error meanwhile
    if (this.#store.parts.error === error)
      this.#store.batch(() => this.#store.set({ error: better }));
    return better;
  }

  /** Shared by login and tokenLogin: checks, engine start, wait for the verdict. */
  #register(
    user: string,
    options: LoginOptions,
    check: () => void,
    start: (client: AwlClient, user: string, bump: string) => void,
  ): Promise<void> {
    const store = this.#store;
    return store.act(async () => {
      const name = typeof user === 'string' ? user.trim() : '';
      if (name === '') throw invalidArgument('Enter your extension or user name.');
      check();
      const bump = String(options.bump === true);
      const state = store.parts.registration.state;
      if (isRegistered(state)) throw err('already-logged-in', 'This phone is already logged in.');
      if (!canLogin(state))
        throw err('invalid-state', 'The phone is still connecting. Wait for it to finish.');
      store.batch(() => {
        this.enter('logging-in', '');
        store.set({ user: name });
      });
      const cancelled = (): IpoError => err('cancelled', 'The login was cancelled.');
      try {
        const client = await this.#engine.ensure();
        if (store.parts.registration.state !== 'logging-in') throw cancelled();
        const waiter = this.#waiters.wait<void>({
          ms: this.#settings.timeouts.login,
          match: (event) => {
            if (event.type !== 'registration') return KEEP_WAITING;
            if (isRegistered(nextState(event.result) as RegistrationState)) return DONE;
            return event.result === 'AWL_MSG_LOGGEDOUT' ? cancelled() : event.error;
          },
          onTimeout: () => {
            quietly(() => client.logOut()); // abandon the attempt in the engine
            return err(
              'timeout',
              `The gateway did not answer the login within ${seconds(this.#settings, 'login')}.`,
            );
          },
        });
        waiter.start(
          () => start(client, name, bump),
          'login-failed',
          'The telephony engine could not start the login.',
        );
        await waiter.promise;
      } catch (thrown) {
        const error = await this.#diagnose(thrown);
        if (
          error instanceof IpoError &&
          error.code !== 'cancelled' &&
          (store.parts.registration.state === 'logging-in' || error.code === 'timeout')
        ) {
          store.batch(() => this.enter('error', error.message));
        }
        throw error;
      }
    });
  }
}
