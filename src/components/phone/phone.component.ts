import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { SessionHandle } from '../../context/session-context.js';
import { SessionStateController } from '../../controllers/session-state-controller.js';
import { IpoError } from '../../core/errors.js';
import type { TokenType } from '../../core/ipo-session.js';
import type { CallSnapshot, EndedCall, SessionSnapshot } from '../../core/snapshot.js';
import {
  IpoCallEndedEvent,
  IpoCallRequestEvent,
  IpoCallStateChangeEvent,
  IpoErrorEvent,
  IpoHangupRequestEvent,
  IpoIncomingCallEvent,
  IpoRegistrationChangeEvent,
} from '../../events/index.js';
import { errorText } from '../../i18n/localize.js';
import type { Translation } from '../../i18n/translation.js';
import { IpoElement } from '../../internal/ipo-element.js';
import { pick } from '../../internal/pick.js';
import { baseStyles } from '../../internal/styles.js';
import { ring, route, unlock } from '../../internal/tone.js';
import { phoneStyles } from './phone.styles.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const SETUP = new Set(['dialing', 'ringing', 'progressing']);
const LIVE = new Set(['connected', 'held']);
const VIEW = [
  'registration',
  'user',
  'calls',
  'call',
  'lastEnded',
  'error',
  'videoEnabled',
  'canCall',
  'canLogin',
] as const;
type View = Pick<SessionSnapshot, (typeof VIEW)[number]>;

/** Far-end name, else number, else "Unknown". */
const MOVING: ReadonlySet<string> = new Set(['reconnecting', 'failing-over', 'failing-back']);
/** Errors that logged the phone out: the call they dropped stays shown above the login form. */
const LOST: ReadonlySet<string> = new Set(['session-ended', 'taken-over']);

const who = (c: { farEnd: CallSnapshot['farEnd'] }, t: Translation): string =>
  c.farEnd.name || c.farEnd.number || t.unknown;

/** 65 s → "1:05"; 3725 s → "1:02:05". */
const clock = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = String(Math.floor(s / 60) % 60);
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${m.padStart(2, '0')}:${ss}` : `${m}:${ss}`;
};

/**
 * A complete softphone: login, status, dial field and dial pad (DTMF during a call), up to three
 * calls with answer, reject, hang up, hold, mute, video and blind or attended transfer, ringing
 * with a generated tone, call timers and one polite live region that announces call status.
 *
 * @summary Drop-in softphone bound to the nearest `<ipo-session>` (or `.session`).
 * @tag ipo-phone
 * @status experimental
 * @since 0.1
 * @slot - Content shown under the phone.
 * @csspart base - Outer wrapper.
 * @csspart status - Status line with the log-out button.
 * @csspart error - The last error message with its dismiss button.
 * @csspart sound - The "click to enable sound" prompt (when the browser blocks audio).
 * @csspart login - The login form.
 * @csspart dial - The dial form.
 * @csspart input - Every text field.
 * @csspart button - Every button except dial pad keys.
 * @csspart dialpad - The dial pad grid.
 * @csspart dialpad__key - One dial pad key.
 * @csspart calls - The call list.
 * @csspart call - One call.
 * @csspart name - The far end's name (or number).
 * @csspart subject - The call's subject.
 * @csspart state - The call's state.
 * @csspart timer - Time since the call connected.
 * @csspart ended - How the last call ended (with the reason), shown while no call is up.
 * @csspart quality - Three bars for the call's quality (good, fair, poor); its warnings in `title`.
 * @csspart progress - Busy indicator (logging in, call set-up, pending action).
 * @csspart actions - The buttons of one call.
 * @csspart transfer - The transfer form of one call.
 * @cssprop [--ipo-accent=#0a5fb4] - Primary colour (focus ring, pressed toggles, ringing).
 * @cssprop [--ipo-on-accent=#fff] - Text on the primary colour.
 * @cssprop [--ipo-success=#1a7f37] - Call and answer buttons.
 * @cssprop [--ipo-danger=#b42318] - Hang up and reject buttons, error text.
 * @cssprop [--ipo-surface=#fff] - Background.
 * @cssprop [--ipo-text=#1f2328] - Text colour.
 * @cssprop [--ipo-muted=#57606a] - Secondary text.
 * @cssprop [--ipo-border=#8c959f] - Borders.
 * @cssprop [--ipo-radius=6px] - Corner radius.
 * @cssprop [--ipo-gap=0.5rem] - Spacing.
 * @cssprop [--ipo-font=inherit] - Font shorthand.
 * @cssprop [--ipo-phone-width=24rem] - Maximum width.
 * @cssprop [--ipo-quality-on=currentColor] - Lit bars of the quality indicator.
 * @cssprop [--ipo-quality-off=#d0d7de] - Unlit bars of the quality indicator.
 * @cssstate logged-in - Registered with the gateway.
 * @cssstate logging-in - A login is in progress.
 * @cssstate reconnecting - Reconnecting or moving between gateways.
 * @cssstate ringing - A call is ringing in.
 * @cssstate calling - An outgoing call is being set up.
 * @cssstate in-call - A call is connected or on hold.
 * @cssstate held - The active call is on hold.
 * @cssstate muted - The active call is muted.
 * @cssstate video - The active call has video.
 * @cssstate error - An error message is shown.
 * @fires {IpoRegistrationChangeEvent} ipo-registration-change - Logged in, out, reconnecting or failed.
 * @fires {IpoIncomingCallEvent} ipo-incoming-call - A call is ringing in.
 * @fires {IpoCallStateChangeEvent} ipo-call-state-change - A call appeared or changed state.
 * @fires {IpoCallEndedEvent} ipo-call-ended - A call ended.
 * @fires {IpoCallRequestEvent} ipo-call-request - The user asked to call (cancelable).
 * @fires {IpoHangupRequestEvent} ipo-hangup-request - The user asked to end or reject a call (cancelable).
 * @fires {IpoErrorEvent} ipo-error - An action started here failed.
 */
/** Sessions a phone has signed in through their token URL (once each). */
const signedInBy = new WeakSet<SessionHandle>();

export class IpoPhone extends IpoElement {
  static override styles = [baseStyles, phoneStyles];

  #s = new SessionStateController(this, pick(...VIEW));

  /** The session to use; wins over the nearest `<ipo-session>`. */
  @property({ attribute: false }) session: SessionHandle | null = null;
  /** Pre-fills the extension (or user name) field. */
  @property() user = '';
  /** The dial field's content. */
  @property() number = '';
  /** Shows a desktop notification for incoming calls (permission is asked at login). */
  @property({ type: Boolean }) notify = false;
  /** Hides the dial pad. */
  @property({ type: Boolean, attribute: 'no-dialpad' }) noDialpad = false;
  /** Plays no ringing tone. */
  @property({ type: Boolean, attribute: 'no-ringtone' }) noRingtone = false;

  /** The live region's text. */
  @state() private _live = '';
  /** Quality warnings already said, per call. */
  #said = new Map<string, Set<string>>();
  /** Audio is blocked until a user gesture. */
  @state() private _blocked = false;
  /** The call whose transfer form is open. */
  @state() private _transfer: string | null = null;

  #prev: View | undefined;
  #events: Event[] = [];
  #hadFocus = false;
  #stopRing?: () => void;
  #unlocking = false;
  #notice?: Notification;
  #tick?: ReturnType<typeof setInterval>;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#tick);
    this.#tick = undefined;
    void this.#ring(false);
    this.#notify(undefined);
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const s = this.#s.value;
    const p = this.#prev;
    const t = this.localize.t;
    this.#prev = s;
    this.#hadFocus = this.matches(':focus-within');
    this.setGroupLabel(t.phone);
    const calls = s?.calls ?? [];
    const reg = s?.registration.state;
    this.setStates({
      'logged-in': reg === 'logged-in' || reg === 'failed-over',
      'logging-in': reg === 'logging-in',
      reconnecting: reg === 'reconnecting' || reg === 'failing-over' || reg === 'failing-back',
      ringing: calls.some((c) => c.state === 'incoming'),
      calling: calls.some((c) => c.direction === 'outgoing' && SETUP.has(c.state)),
      'in-call': calls.some((c) => LIVE.has(c.state)),
      held: !!s?.call?.held,
      muted: !!s?.call?.muted,
      video: !!s?.call?.video,
      error: !!s?.error,
    });
    if (!s || !p || s === p) return;
    // What changed since the last render → events (dispatched in updated) and announcements.
    const say: string[] = [];
    if (s.registration.state !== p.registration.state) {
      const { state, reason } = s.registration;
      this.#events.push(new IpoRegistrationChangeEvent(state, p.registration.state, reason));
      say.push(state === 'logged-in' && s.user ? t.loggedInAs(s.user) : t.registration[state]);
      // back after a reconnect or a move between gateways: say what became of the calls
      if (
        MOVING.has(p.registration.state) &&
        (state === 'logged-in' || state === 'failed-over') &&
        calls.length
      ) {
        say.push(t.callsKept(calls.length));
      }
    }
    for (const c of calls) {
      const old = p.calls.find((o) => o.id === c.id);
      // a quality warning is said once per call, in plain words, even if it comes and goes
      const said = this.#said.get(c.id) ?? new Set<string>();
      const fresh = c.quality?.warnings.filter((w) => !said.has(w)) ?? [];
      if (fresh.length) {
        fresh.forEach((w) => said.add(w));
        this.#said.set(c.id, said);
        say.push(`${who(c, t)}: ${fresh.map((w) => t.qualityWarning[w] ?? w).join(' ')}`);
      }
      if (old?.state === c.state) continue;
      this.#events.push(new IpoCallStateChangeEvent(c, old?.state ?? null));
      if (!old && c.state === 'incoming') this.#events.push(new IpoIncomingCallEvent(c));
      say.push(
        c.state === 'incoming'
          ? t.incomingFrom(who(c, t))
          : `${who(c, t)}: ${t.callState[c.state]}`,
      );
    }
    for (const old of p.calls) {
      if (calls.some((c) => c.id === old.id)) continue;
      const ended: EndedCall =
        s.lastEnded?.id === old.id
          ? s.lastEnded
          : {
              id: old.id,
              direction: old.direction,
              farEnd: old.farEnd,
              reason: '',
              endedAt: Date.now(),
            };
      this.#events.push(new IpoCallEndedEvent(ended));
      this.#said.delete(old.id);
      say.push(
        ended.reason ? `${t.callEnded(who(old, t))}: ${ended.reason}` : t.callEnded(who(old, t)),
      );
      if (this._transfer === old.id) this._transfer = null;
    }
    if (s.error && s.error !== p.error) say.push(errorText(t, s.error));
    if (say.length) this._live = say.join('. ');
  }

  protected override updated(): void {
    const events = this.#events;
    this.#events = [];
    for (const e of events) this.emit(e);
    // a session with a token URL signs in by itself, once (a logout here is not undone)
    const handle = this.#s.session;
    if (handle?.tokenSignIn && !signedInBy.has(handle) && this.#s.value?.canLogin) {
      signedInBy.add(handle);
      void this.#run(() => this.signIn());
    }
    const calls = this.#s.value?.calls ?? [];
    const ringing = calls.find((c) => c.state === 'incoming');
    void this.#ring(!!ringing && !this.noRingtone);
    this.#notify(this.notify ? ringing : undefined);
    this.#paintTimers();
    const timing = calls.some((c) => c.connectedAt !== null);
    if (timing && !this.#tick) this.#tick = setInterval(this.#paintTimers, 1000);
    if (!timing && this.#tick) {
      clearInterval(this.#tick);
      this.#tick = undefined;
    }
    // The focused control went away (e.g. Answer after answering): keep focus in the phone.
    if (this.#hadFocus && !this.matches(':focus-within')) {
      const root = this.renderRoot;
      (
        root.querySelector<HTMLElement>('[part~=actions] button:not([aria-disabled=true])') ??
        root.querySelector<HTMLElement>('input, button')
      )?.focus();
    }
  }

  // ----- public API ---------------------------------------------------------------------------

  /** Logs in with extension (or user name) and password. */
  login(user: string, password: string): Promise<void> {
    return this.#with((s) => s.login(user, password));
  }

  /** Logs in with an `ESNA` or `RESILIENCY` token, e.g. from your own single sign-on. */
  tokenLogin(user: string, token: string, type: TokenType = 'ESNA'): Promise<void> {
    return this.#with((s) => s.tokenLogin(user, token, type));
  }

  /** Signs in through the session's `token-url` (the site's token route): no password. */
  signIn(): Promise<void> {
    return this.#with((s) =>
      s.signIn ? s.signIn() : Promise.reject(new IpoError('unsupported', 'No token sign-in.')),
    );
  }

  /** Logs out, ending every call. */
  logout(): Promise<void> {
    return this.#with((s) => s.logout());
  }

  /**
   * Calls a number (the dial field's by default) after a cancelable `ipo-call-request`.
   * Resolves with the call id, or null when a listener vetoed the call.
   */
  async call(number = this.number, video = false): Promise<string | null> {
    if (!this.emit(new IpoCallRequestEvent(number, video))) return null;
    const id = await this.#with((s) => s.call(number, { video }));
    if (number === this.number) this.number = '';
    return id;
  }

  /** Answers a ringing call (the active one by default). */
  answer(callId = this.#s.value?.call?.id ?? ''): Promise<void> {
    return this.#with((s) => s.answer(callId));
  }

  /**
   * Ends a call (the active one by default) after a cancelable `ipo-hangup-request`: rejects it
   * while it rings in, cancels it while it is set up, hangs up otherwise.
   */
  async hangup(callId = this.#s.value?.call?.id ?? ''): Promise<void> {
    const call = this.#s.value?.calls.find((c) => c.id === callId);
    if (call && !this.emit(new IpoHangupRequestEvent(call))) return;
    return this.#with((s) => s.hangup(callId));
  }

  // ----- internals ----------------------------------------------------------------------------

  #with<T>(run: (session: SessionHandle) => Promise<T>): Promise<T> {
    const session = this.#s.session;
    return session
      ? run(session)
      : Promise.reject(new IpoError('invalid-config', this.localize.t.noSession));
  }

  /** Runs a user action; a failure becomes `ipo-error` (the session shows its message). */
  async #run(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if (!(error instanceof IpoError)) throw error;
      if (error.code !== 'cancelled') this.emit(new IpoErrorEvent(error));
    }
  }

  #act(run: (s: SessionHandle) => Promise<unknown>): void {
    void this.#run(() => this.#with(run));
  }

  readonly #paintTimers = (): void => {
    for (const el of this.renderRoot.querySelectorAll<HTMLElement>('[data-since]')) {
      el.textContent = clock(Date.now() - Number(el.dataset.since));
    }
  };

  async #ring(on: boolean): Promise<void> {
    if (!on) {
      this.#stopRing?.();
      this.#stopRing = undefined;
      this._blocked = false;
      return;
    }
    if (this.#stopRing || this.#unlocking || this._blocked) return;
    this.#unlocking = true;
    const ok = await unlock().catch(() => false);
    if (ok) await route(this.#s.session?.snapshot.devices.selected.audioOutput ?? '');
    this.#unlocking = false;
    const still = this.#s.value?.calls.some((c) => c.state === 'incoming') && !this.noRingtone;
    if (!still || this.#stopRing || !this.isConnected) return;
    if (ok) this.#stopRing = ring();
    else this._blocked = true;
  }

  #notify(call: CallSnapshot | undefined): void {
    if (call && this.#notice?.tag === `ipo-${call.id}`) return;
    this.#notice?.close();
    this.#notice = undefined;
    if (!call || globalThis.Notification?.permission !== 'granted') return;
    try {
      const t = this.localize.t;
      this.#notice = new Notification(t.incomingFrom(who(call, t)), {
        body: call.farEnd.subject,
        tag: `ipo-${call.id}`,
      });
      this.#notice.onclick = () => {
        window.focus();
        this.renderRoot.querySelector<HTMLElement>('[part~=actions] button')?.focus();
      };
    } catch {
      /* notifications need a service worker here */
    }
  }

  private async handleSoundClick(): Promise<void> {
    this._blocked = !(await unlock());
  }

  private handleLoginSubmit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.#s.value?.registration.state === 'logging-in') return;
    const data = new FormData(e.target as HTMLFormElement);
    void unlock(); // a user gesture: lets the ringing tone play later
    if (this.notify && globalThis.Notification?.permission === 'default') {
      void Notification.requestPermission();
    }
    void this.#run(() => this.login(String(data.get('user')), String(data.get('password'))));
  }

  /** "Use it here": the same login again, taking the extension over from where it is in use. */
  #useHere(): void {
    const field = (name: string) =>
      this.renderRoot.querySelector<HTMLInputElement>(`[part~=login] input[name=${name}]`);
    const user = field('user')?.value ?? '';
    const password = field('password');
    if (!password?.value) return void password?.focus(); // typed once more, then "Use it here"
    void this.#run(() => this.#with((s) => s.login(user, password.value, { bump: true })));
  }

  private handleDialSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const video = (e.submitter as HTMLButtonElement | null)?.value === 'video';
    if (this.#s.value?.canCall) void this.#run(() => this.call(this.number.trim(), video));
  }

  private handleDialpadKey(key: string): void {
    const call = this.#s.value?.call;
    if (call?.canSendDigits) this.#act((s) => s.sendDigits(call.id, key));
    else this.number += key;
  }

  private handleDialpadKeydown(e: KeyboardEvent): void {
    const key = KEYS.find((k) => k === e.key);
    if (!key || e.ctrlKey || e.metaKey || e.altKey) return;
    e.preventDefault();
    this.renderRoot
      .querySelectorAll<HTMLElement>('[part~=dialpad__key]')
      [KEYS.indexOf(key)]?.focus();
    this.handleDialpadKey(key);
  }

  private handleTransferSubmit(e: SubmitEvent, call: CallSnapshot): void {
    e.preventDefault();
    const target = String(new FormData(e.target as HTMLFormElement).get('target')).trim();
    this.#act((s) => s.transfer(call.id, target));
  }

  // ----- view ---------------------------------------------------------------------------------

  /** A call action button; `enabled` false keeps it focusable but inert (aria-disabled). */
  #button(
    label: string,
    enabled: boolean,
    onClick: () => void,
    extra: { cls?: string; pressed?: boolean; expanded?: boolean; of?: string } = {},
  ): TemplateResult {
    return html`<button
      part="button"
      type="button"
      class=${extra.cls ?? ''}
      aria-disabled=${!enabled}
      aria-pressed=${extra.pressed ?? nothing}
      aria-expanded=${extra.expanded ?? nothing}
      aria-describedby=${extra.of ?? nothing}
      @click=${() => enabled && onClick()}
    >
      ${label}
    </button>`;
  }

  #renderCall(c: CallSnapshot, i: number, calls: readonly CallSnapshot[], video: boolean) {
    const t = this.localize.t;
    const id = `c${i}`;
    const of = { of: id };
    const setup = c.direction === 'outgoing' && SETUP.has(c.state);
    const live = LIVE.has(c.state);
    const open = this._transfer === c.id && c.canTransfer;
    const others = calls.filter((o) => o !== c && LIVE.has(o.state));
    const act = (run: (s: SessionHandle) => Promise<unknown>) => () => this.#act(run);
    return html`<li part="call" class=${c.state === 'incoming' ? 'ring' : ''}>
      <div id=${id}>
        <strong part="name">${who(c, t)}</strong>
        ${c.farEnd.name && c.farEnd.number ? html`<span class="mu">${c.farEnd.number}</span>` : nothing}
      </div>
      ${c.farEnd.subject ? html`<div part="subject">${c.farEnd.subject}</div>` : nothing}
      <div class="row mu">
        <span part="state">${t.callState[c.state]}</span>
        ${
          c.connectedAt !== null
            ? html`<time part="timer" data-since=${c.connectedAt}></time>`
            : nothing
        }
        ${
          c.quality
            ? html`<span part="quality" class=${c.quality.level} role="img" aria-label=${t.quality[c.quality.level]} title=${c.quality.warnings.map((w) => t.qualityWarning[w] ?? w).join(' ')}
              ><i></i><i></i><i></i
            ></span>`
            : nothing
        }
        ${
          setup || c.pending
            ? html`<progress part="progress" aria-label=${t.callState[c.state]}></progress>`
            : nothing
        }
      </div>
      <div part="actions" class="row">
        ${
          c.state === 'incoming'
            ? [
                this.#button(
                  t.answer,
                  c.canAnswer,
                  act((s) => s.answer(c.id)),
                  { ...of, cls: 'ok' },
                ),
                this.#button(t.reject, c.canReject, () => void this.#run(() => this.hangup(c.id)), {
                  ...of,
                  cls: 'no',
                }),
              ]
            : nothing
        }
        ${
          live
            ? this.#button(
                t.hold,
                c.canHold || c.canResume,
                act((s) => (c.held ? s.resume(c.id) : s.hold(c.id))),
                { ...of, pressed: c.held },
              )
            : nothing
        }
        ${
          live || c.state === 'progressing'
            ? this.#button(
                t.mute,
                c.canMute || c.canUnmute,
                act((s) => (c.muted ? s.unmute(c.id) : s.mute(c.id))),
                { ...of, pressed: c.muted },
              )
            : nothing
        }
        ${
          video && c.state === 'connected'
            ? this.#button(
                t.video,
                c.canAddVideo || c.canRemoveVideo,
                act((s) => (c.video ? s.removeVideo(c.id) : s.addVideo(c.id))),
                { ...of, pressed: c.video },
              )
            : nothing
        }
        ${
          live
            ? this.#button(t.transfer, c.canTransfer, () => (this._transfer = open ? null : c.id), {
                ...of,
                expanded: open,
              })
            : nothing
        }
        ${
          c.state !== 'incoming'
            ? this.#button(
                setup ? t.cancel : t.hangup,
                c.canHangup,
                () => void this.#run(() => this.hangup(c.id)),
                { ...of, cls: 'no' },
              )
            : nothing
        }
      </div>
      ${
        open
          ? html`<form part="transfer" @submit=${(e: SubmitEvent) => this.handleTransferSubmit(e, c)}>
            <div class="row">
              <label
                >${t.transferNumber}
                <input part="input" name="target" type="tel" autocomplete="off" required />
              </label>
              <button part="button" class="p">${t.transfer}</button>
            </div>
            ${others.map((o) =>
              this.#button(
                t.transferTo(who(o, t)),
                true,
                act((s) => s.transfer(c.id, o.id, { attended: true })),
                of,
              ),
            )}
          </form>`
          : nothing
      }
    </li>`;
  }

  /** With a token URL: no form, only a way to sign in again (the session signs in by itself). */
  #renderSignIn(busy: boolean) {
    const t = this.localize.t;
    return html`<div part="login" class="row" aria-busy=${busy}>
      ${this.#button(busy ? t.registration['logging-in'] : t.login, !busy, () => void this.#run(() => this.signIn()), { cls: 'p' })}
      ${busy ? html`<progress part="progress" aria-label=${t.registration['logging-in']}></progress>` : nothing}
    </div>`;
  }

  #renderLogin(busy: boolean, usable: boolean) {
    const t = this.localize.t;
    return html`<form part="login" @submit=${this.handleLoginSubmit} aria-busy=${busy}>
      <label
        >${t.user}
        <input
          part="input"
          name="user"
          autocomplete="username"
          required
          ?disabled=${!usable}
          .value=${this.user}
        />
      </label>
      <label
        >${t.password}
        <input
          part="input"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          ?disabled=${!usable}
        />
      </label>
      <div class="row">
        <button part="button" class="p" ?disabled=${!usable} aria-disabled=${busy}>
          ${busy ? t.registration['logging-in'] : t.login}
        </button>
        ${
          busy
            ? html`${this.#button(t.cancel, true, () => void this.#run(() => this.logout()))}
              <progress part="progress" aria-label=${t.registration['logging-in']}></progress>`
            : nothing
        }
      </div>
    </form>`;
  }

  override render() {
    const t = this.localize.t;
    const s = this.#s.value;
    const reg = s?.registration.state ?? 'logged-out';
    const out = !s || s.canLogin || reg === 'logging-in';
    return html`<div part="base" dir=${this.localize.dir}>
        <div part="status" class="row">
          <span
            >${
              !s
                ? t.noSession
                : reg === 'logged-in' && s.user
                  ? t.loggedInAs(s.user)
                  : t.registration[reg]
            }</span
          >
          ${out ? nothing : this.#button(t.logout, true, () => void this.#run(() => this.logout()))}
        </div>
        <div class="sr" role="status">${this._live}</div>
        ${
          s?.error
            ? html`<div part="error" class="row">
              <span>${errorText(t, s.error)}</span>
              ${
                s.error.details?.problem === 'in-use' && out
                  ? this.#button(t.useHere, reg !== 'logging-in', () => this.#useHere(), {
                      cls: 'p',
                    })
                  : nothing
              }
              ${this.#button(t.dismiss, true, () => this.#s.session?.clearError())}
            </div>`
            : nothing
        }
        ${
          s?.lastEnded && !s.calls.length && (!out || LOST.has(s.error?.details?.problem ?? ''))
            ? html`<p part="ended" class="mu">
              ${t.callEnded(who(s.lastEnded, t))}${s.lastEnded.reason ? html`: ${s.lastEnded.reason}` : nothing}
            </p>`
            : nothing
        }
        ${
          this._blocked
            ? html`<button
              part="sound"
              class="p"
              @click=${this.handleSoundClick}
            >
              ${t.enableSound}
            </button>`
            : nothing
        }
        ${
          out && this.#s.session?.tokenSignIn
            ? this.#renderSignIn(reg === 'logging-in')
            : out
              ? this.#renderLogin(reg === 'logging-in', !!s)
              : html`<form part="dial" @submit=${this.handleDialSubmit}>
                <div class="row">
                  <label
                    >${t.number}
                    <input
                      part="input"
                      name="number"
                      type="tel"
                      autocomplete="off"
                      .value=${this.number}
                      @input=${(e: InputEvent) =>
                        (this.number = (e.target as HTMLInputElement).value)}
                    />
                  </label>
                  <button part="button" class="ok" value="audio" ?disabled=${!s.canCall}>
                    ${t.call}
                  </button>
                  ${
                    s.videoEnabled
                      ? html`<button part="button" value="video" ?disabled=${!s.canCall}>
                        ${t.videoCall}
                      </button>`
                      : nothing
                  }
                </div>
              </form>
              ${
                this.noDialpad
                  ? nothing
                  : html`<div
                    part="dialpad"
                    role="group"
                    aria-label=${t.dialpad}
                    @keydown=${this.handleDialpadKeydown}
                  >
                    ${KEYS.map(
                      (k) =>
                        html`<button
                          part="dialpad__key"
                          type="button"
                          @click=${() => this.handleDialpadKey(k)}
                        >
                          ${k}
                        </button>`,
                    )}
                  </div>`
              }
              ${
                s.calls.length
                  ? html`<ul part="calls" aria-label=${t.calls}>
                    ${repeat(
                      s.calls,
                      (c) => c.id,
                      (c, i) => this.#renderCall(c, i, s.calls, s.videoEnabled),
                    )}
                  </ul>`
                  : nothing
              }`
        }
      </div>
      <slot></slot>`;
  }
}
