import { ContextProvider } from '@lit/context';
import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { sessionContext, type SessionHandle } from '../../context/session-context.js';
import { CallEventsController } from '../../controllers/call-events-controller.js';
import { IpoError } from '../../core/errors.js';
import { IpoSession, type IpoSessionOptions } from '../../core/ipo-session.js';
import { errorText } from '../../i18n/localize.js';
import { IpoElement, warnOnce } from '../../internal/ipo-element.js';
import { sessionStyles } from './session.styles.js';

/** Properties that make up the session configuration; changing one replaces the session. */
const CONFIG = [
  'gateway',
  'serviceType',
  'video',
  'stun',
  'turn',
  'turnUsername',
  'turnCredential',
  'noResiliency',
  'appId',
  'appUa',
  'sdk',
  'log',
  'tokenUrl',
  'shared',
] as const;

/**
 * Shares one phone session with every `ipo-*` element inside it. It builds the session from its
 * attributes (or provides the one you set as `.session`) and renders only its content, plus an
 * error message when the configuration is invalid. Changing any configuration attribute
 * replaces the session: the old one is logged out and disposed.
 *
 * @summary Session provider: set the gateway once, put the widgets inside.
 * @tag ipo-session
 * @status experimental
 * @since 0.1
 * @slot - The widgets that share this session.
 * @csspart error - The configuration error message (only when misconfigured).
 * @cssprop [--ipo-danger=light-dark(#b42318, #ff7b72)] - Colour of the error message and its stripe.
 * @cssprop [--ipo-surface=light-dark(#fff, #161b22)] - Background of the error message.
 * @cssstate error - The configuration is invalid; no session is provided.
 * @fires {IpoRegistrationChangeEvent} ipo-registration-change - Logged in, out, reconnecting or failed (when no `<ipo-phone>` inside reports it).
 * @fires {IpoIncomingCallEvent} ipo-incoming-call - A call is ringing in (when no `<ipo-phone>` inside reports it).
 * @fires {IpoCallStateChangeEvent} ipo-call-state-change - A call appeared or changed state (when no `<ipo-phone>` inside reports it).
 * @fires {IpoCallEndedEvent} ipo-call-ended - A call ended (when no `<ipo-phone>` inside reports it).
 */
export class IpoSessionElement extends IpoElement {
  static override styles = sessionStyles;

  #provider = new ContextProvider(this, { context: sessionContext });
  #given: SessionHandle | null = null;
  #owned: IpoSession | null = null;
  #error: IpoError | null = null;

  /**
   * The WebRTC gateway as `host`, `host:port` or `[IPv6]:port` (port 9443 by default). Left out
   * on a page served over https, it is the page's own host (as for the dev gateway's demo pages).
   */
  @property() gateway = '';
  /** `phone` (default) or `agent` (contact-centre agent with early media). */
  @property({ attribute: 'service-type' }) serviceType: 'phone' | 'agent' = 'phone';
  /** Allows video calls. */
  @property({ type: Boolean }) video = false;
  /** A STUN server as `stun:host[:port]`. */
  @property() stun = '';
  /** A TURN server as `turn:host[:port]`; credentials go in `turnUsername`/`turnCredential`. */
  @property() turn = '';
  /** TURN user name (property only, never an attribute). */
  @property({ attribute: false }) turnUsername = '';
  /** TURN password (property only, never an attribute). */
  @property({ attribute: false }) turnCredential = '';
  /** Turns off automatic failover/failback and token renewal. */
  @property({ type: Boolean, attribute: 'no-resiliency' }) noResiliency = false;
  /** Application id sent to the gateway. */
  @property({ attribute: 'app-id' }) appId = '';
  /** Application user agent sent to the gateway. */
  @property({ attribute: 'app-ua' }) appUa = '';
  /** `bundled` (default): the kit's own SDK; `global`: the `window.AWL` the page loaded. */
  @property() sdk: 'bundled' | 'global' = 'bundled';
  /** Turns on the SDK's console logging (never prints secrets). */
  @property({ type: Boolean }) log = false;
  /**
   * Your site's token route on this page's own origin, e.g. `/api/ipo-token`. It answers
   * `{ user, token, tokenType }` for the person signed in to your site (cookies are sent);
   * widgets then sign in with that token: no password in the page. The token itself never goes
   * in an attribute or a URL.
   */
  @property({ attribute: 'token-url' }) tokenUrl = '';
  /**
   * One phone across tabs: among this site's tabs with the same configuration, one holds the
   * registration and media and the others show it and act through it. When that tab closes
   * while no call is up, another takes over (with `token-url`, with no typing).
   */
  @property({ type: Boolean }) shared = false;

  /** The session provided to the widgets: the one you set, else the one built from attributes. */
  @property({ attribute: false })
  get session(): SessionHandle | null {
    return this.#given ?? this.#owned;
  }
  set session(session: SessionHandle | null) {
    this.#given = session ?? null;
  }

  /** Why no session could be built from the attributes (null when the configuration is valid). */
  get error(): IpoError | null {
    return this.#given ? null : this.#error;
  }

  constructor() {
    super();
    // the call events for pages without an <ipo-phone> (a phone on this session reports them)
    new CallEventsController(this, { fallback: true });
  }

  /** @internal Builds the session; tests replace it to inject an engine. */
  createSession = (options: IpoSessionOptions): IpoSession => new IpoSession(options);

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.#owned) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element (disconnect + connect in one task) keeps the session and its calls.
    setTimeout(() => {
      if (!this.isConnected) this.#replace(null);
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.#given) this.#replace(null);
    else if (!this.#owned || CONFIG.some((k) => changed.has(k))) this.#build();
    const session = this.session ?? undefined;
    if (this.#provider.value !== session) this.#provider.setValue(session as SessionHandle);
    this.setStates({ error: !!this.error });
  }

  #build(): void {
    let session: IpoSession | null = null;
    this.#error = null;
    try {
      if (this.sdk !== 'bundled' && this.sdk !== 'global') {
        throw new IpoError(
          'invalid-config',
          `"${this.sdk}" is not an sdk. Use "bundled" or "global".`,
        );
      }
      session = this.createSession({
        gateway: this.gateway || ownHost(),
        serviceType: this.serviceType,
        video: this.video,
        stun: this.stun || undefined,
        turn: this.turn
          ? { url: this.turn, username: this.turnUsername, credential: this.turnCredential }
          : undefined,
        noResiliency: this.noResiliency,
        appId: this.appId || undefined,
        appUa: this.appUa || undefined,
        sdk: this.sdk,
        log: this.log,
        ...(this.tokenUrl ? { tokenUrl: this.tokenUrl } : {}),
        ...(this.shared ? { shared: true } : {}),
      });
    } catch (error) {
      this.#error =
        error instanceof IpoError ? error : new IpoError('invalid-config', String(error));
      warnOnce(`<ipo-session>: ${this.#error.message}`);
    }
    this.#replace(session);
  }

  #replace(session: IpoSession | null): void {
    if (this.#owned === session) return;
    this.#owned?.dispose();
    this.#owned = session;
    if (!this.#given) this.#provider.setValue((session ?? undefined) as SessionHandle);
  }

  override render() {
    const t = this.localize.t;
    const error = this.error;
    return html`<slot></slot>
      <p part="error" role="alert" dir=${this.localize.dir} ?hidden=${!error}>
        ${error ? `${t.setupError}: ${errorText(t, error)}` : ''}
      </p>`;
  }
}

/** The page's own host when it came over https (a gateway serves its pages that way), else ''. */
function ownHost(): string {
  return globalThis.location?.protocol === 'https:' ? globalThis.location.host : '';
}
