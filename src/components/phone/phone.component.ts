import type { PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { SessionHandle } from '../../context/session-context.js';
import { CallEventsController } from '../../controllers/call-events-controller.js';
import { CallTimerController } from '../../controllers/call-timer-controller.js';
import { NotificationController } from '../../controllers/notification-controller.js';
import { RingController } from '../../controllers/ring-controller.js';
import type { SessionChange } from '../../controllers/session-diff.js';
import { SessionStateController } from '../../controllers/session-state-controller.js';
import { IpoError } from '../../core/errors.js';
import type { TokenType } from '../../core/ipo-session.js';
import type { CallSnapshot, FarEnd } from '../../core/snapshot.js';
import { IpoCallRequestEvent, IpoErrorEvent, IpoHangupRequestEvent } from '../../events/index.js';
import { errorText } from '../../i18n/localize.js';
import { IpoElement, warnOnce } from '../../internal/ipo-element.js';
import { pick } from '../../internal/pick.js';
import { baseStyles } from '../../internal/styles.js';
import { phoneStyles } from './phone.styles.js';
import {
  KEYS,
  LIVE,
  SETUP,
  VIEW,
  renderPhone,
  who,
  type Consult,
  type Handlers,
} from './phone.view.js';

/** A far-end change shortly before still explains silence: the gateway re-anchors the media. */
const SETTLE_MS = 20_000;
const TEXT_INPUTS =
  /^(text|search|email|url|tel|password|number|date|time|datetime-local|month|week)$/;

/** True when a person may be typing into `el`. */
function typing(el: Element | null): boolean {
  return (
    !!el &&
    ((el instanceof HTMLInputElement && TEXT_INPUTS.test(el.type)) ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement ||
      (el as HTMLElement).isContentEditable)
  );
}

/**
 * A complete softphone: a status header, login, an incoming-call banner on top (Answer and
 * Decline first), the active call with a large timer and icon buttons (Mute/Unmute, Hold/Resume,
 * Keypad, Transfer, Add call, Video, Hang up), other calls as compact rows, blind transfer and
 * consult-first transfer, a dial pad that stays 1 2 3 left to right in right-to-left pages,
 * ringing, desktop notifications and one polite live region that announces call status.
 *
 * @summary Drop-in softphone bound to the nearest `<ipo-session>` (or `.session`).
 * @tag ipo-phone
 * @status experimental
 * @since 0.1
 * @slot - Content shown under the phone.
 * @csspart base - Outer wrapper (bounded by `--ipo-phone-max-height`, scrolls inside).
 * @csspart status - Header: reachability dot and word, the log-out button.
 * @csspart confirm - "Log out and end your call?" with Log out and Cancel.
 * @csspart error - The last error message with its dismiss button (shown once).
 * @csspart hint - How to connect the phone to a session (shown when it has none).
 * @csspart sound - The "click to enable sound" prompt (when the browser blocks audio).
 * @csspart login - The login form.
 * @csspart dial - The dialer: number field, dial pad, Call.
 * @csspart input - Every text field.
 * @csspart button - Every button except dial pad keys.
 * @csspart dialpad - The dial pad grid (left to right in every direction).
 * @csspart dialpad__key - One dial pad key.
 * @csspart calls - The call list: incoming banners first, then the active call, then the others.
 * @csspart call - One call (banner, active call card or compact row).
 * @csspart banner - The caller and the kind of call on an incoming banner.
 * @csspart name - The far end's name (or number).
 * @csspart subject - The call's subject.
 * @csspart state - The call's state.
 * @csspart timer - Time since the call connected (or since it was transferred to you).
 * @csspart transferred - "Transferred from …" on a call the other side transferred.
 * @csspart consult - "… is on hold until you complete the transfer" while consulting.
 * @csspart ended - How the last call ended, until the next action.
 * @csspart quality - Three bars for the call's quality (good, fair, poor); its warnings in `title`.
 * @csspart progress - Busy indicator (logging in, call set-up, pending action).
 * @csspart actions - The buttons of one call.
 * @csspart transfer - The transfer form: number, Transfer now, Consult first.
 * @cssprop [--ipo-accent=#0a5fb4] - Primary colour (focus ring, primary buttons).
 * @cssprop [--ipo-on-accent=#fff] - Text on the primary colour.
 * @cssprop [--ipo-success=#1a7f37] - Call and Answer buttons, the Ready dot.
 * @cssprop [--ipo-danger=#b42318] - Hang up and Decline buttons, error text.
 * @cssprop [--ipo-warning=#8a5a00] - Held calls and reconnecting.
 * @cssprop [--ipo-surface=#fff] - Background.
 * @cssprop [--ipo-text=#1f2328] - Text colour.
 * @cssprop [--ipo-muted=#57606a] - Secondary text.
 * @cssprop [--ipo-border=#8c959f] - Borders.
 * @cssprop [--ipo-radius=6px] - Corner radius.
 * @cssprop [--ipo-gap=0.5rem] - Spacing.
 * @cssprop [--ipo-font=inherit] - Font shorthand.
 * @cssprop [--ipo-phone-width=24rem] - Maximum width.
 * @cssprop [--ipo-phone-max-height=40rem] - Maximum height; the phone scrolls inside beyond it.
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
 * @cssstate consulting - A consult-first transfer is in progress.
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
  #changes = new CallEventsController(this, { state: this.#s });
  #ring = new RingController(
    this,
    () => this.#s.session?.snapshot.devices.selected.audioOutput ?? '',
  );
  #notice = new NotificationController(this, () => this.#focus('answer'));

  /** The session to use; wins over the nearest `<ipo-session>`. */
  @property({ attribute: false }) session: SessionHandle | null = null;
  /** Pre-fills the extension (or user name) field. */
  @property() user = '';
  /** The dial field's content. */
  @property() number = '';
  /** Shows a desktop notification for incoming calls (permission is asked at login). */
  @property({ type: Boolean }) notify = false;
  /** Hides the dial pad (and the Keypad button during calls). */
  @property({ type: Boolean, attribute: 'no-dialpad' }) noDialpad = false;
  /** Plays no ringing tone. */
  @property({ type: Boolean, attribute: 'no-ringtone' }) noRingtone = false;

  /** The live region's text. */
  @state() private _live = '';
  /** The dial pad is open for tones during a call. */
  @state() private _keypad = false;
  /** The dialer is open for another call during a call. */
  @state() private _adding = false;
  /** Tones sent during this call, shown above the dial pad. */
  @state() private _digits = '';
  /** The call whose transfer form is open. */
  @state() private _transfer: string | null = null;
  /** A consult-first transfer: the call on hold and the consultation call. */
  @state() private _consult: Consult | null = null;
  /** "Log out and end your call?" is asked. */
  @state() private _confirm = false;
  /** What became of the last call when the phone knows better than the gateway's reason. */
  @state() private _outcome = '';

  /** Quality warnings already said, per call. */
  #said = new Map<string, Set<string>>();
  /** Calls the other side transferred: the previous far end and when. */
  #moved = new Map<string, { from: FarEnd; at: number }>();
  #focusNext: 'number' | 'answer' | 'keep' | null = null;
  #hadFocus = false;

  constructor() {
    super();
    // keeps the call timers ticking from the rendered `data-since` values
    new CallTimerController(this, () => this.localize.lang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // after the page's other elements had their chance to upgrade and provide a session
    setTimeout(() => {
      if (this.isConnected && !this.#s.session)
        warnOnce(
          '<ipo-phone> has no session: put it inside <ipo-session gateway="…"> or set .session.',
        );
    });
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const s = this.#s.value;
    const t = this.localize.t;
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
      consulting: !!this._consult,
      error: !!s?.error,
    });
    const say = this.#say(this.#changes.take());
    if (say.length) this._live = say.join('. ');
    // Forget what no longer exists.
    const has = (id: string | undefined) => calls.some((c) => c.id === id);
    if (this._transfer && !has(this._transfer)) this._transfer = null;
    if (!calls.some((c) => LIVE.has(c.state) || c.state === 'progressing')) {
      this._keypad = false;
      this._digits = '';
    }
    if (!calls.length) this._adding = false;
    if (!s || s.canLogin) this._confirm = false;
  }

  /** Announcements for the changes (and the focus they call for). */
  #say(changes: SessionChange[]): string[] {
    const t = this.localize.t;
    const s = this.#s.value;
    const say: string[] = [];
    const now = Date.now();
    for (const ch of changes) {
      switch (ch.type) {
        case 'registration':
          say.push(
            ch.state === 'logged-in' && ch.user ? t.loggedInAs(ch.user) : t.registration[ch.state],
          );
          if (ch.kept) say.push(t.callsKept(ch.kept));
          if (ch.state === 'logged-in' && ch.previous === 'logging-in') this.#focusNext = 'number';
          break;
        case 'quality': {
          const c = ch.call;
          const said = this.#said.get(c.id) ?? new Set<string>();
          const settling = now - (this.#moved.get(c.id)?.at ?? -SETTLE_MS) < SETTLE_MS;
          const fresh = (c.quality?.warnings ?? []).filter(
            (w) => !said.has(w) && !(settling && w === 'no-audio'),
          );
          fresh.forEach((w) => said.add(w));
          this.#said.set(c.id, said);
          if (fresh.length)
            say.push(`${who(c, t)}: ${fresh.map((w) => t.qualityWarning[w] ?? w).join(' ')}`);
          break;
        }
        case 'muted':
          say.push(ch.call.muted ? t.muted : t.unmuted);
          break;
        case 'far-end':
          this.#moved.set(ch.call.id, { from: ch.previous, at: now });
          say.push(t.nowTalkingTo(who(ch.call, t)));
          break;
        case 'call':
          say.push(
            ch.call.state === 'incoming'
              ? t.incomingFrom(who(ch.call, t))
              : `${who(ch.call, t)}: ${t.callState[ch.call.state]}`,
          );
          if (ch.call.state === 'incoming' && s?.calls.length === 1) this.#focusNext = 'answer';
          break;
        case 'ended': {
          this.#said.delete(ch.call.id);
          this.#moved.delete(ch.call.id);
          const k = this._consult;
          if (k && (k.from === ch.call.id || k.to === ch.call.id)) this._consult = null;
          // a failure that explains this call is said once, as the error
          if (s?.error?.callId !== ch.call.id) {
            const w = who(ch.last, t);
            say.push(ch.call.reason ? `${t.callEnded(w)}: ${ch.call.reason}` : t.callEnded(w));
          }
          if (!s?.calls.length) this.#focusNext = 'number';
          break;
        }
        case 'error':
          say.push(errorText(t, ch.error));
          break;
      }
    }
    return say;
  }

  protected override updated(): void {
    // a session with a token URL signs in by itself, once (a logout here is not undone)
    const handle = this.#s.session;
    if (handle?.tokenSignIn && !signedInBy.has(handle) && this.#s.value?.canLogin) {
      signedInBy.add(handle);
      void this.#run(() => this.signIn());
    }
    const calls = this.#s.value?.calls ?? [];
    const ringing = calls.find((c) => c.state === 'incoming');
    this.#ring.ring(!!ringing && !this.noRingtone);
    const t = this.localize.t;
    this.#notice.show(
      this.notify ? ringing : undefined,
      ringing ? t.incomingFrom(who(ringing, t)) : '',
    );
    const next = this.#focusNext;
    this.#focusNext = null;
    const doc = this.ownerDocument;
    let active = doc.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    const lost = this.#hadFocus && !this.matches(':focus-within');
    const free = lost || !active || active === doc.body;
    if (next === 'answer' && !typing(active)) this.#focus('answer');
    else if (next === 'number' && free) this.#focus('number');
    else if (lost) this.#focus('keep');
  }

  #focus(where: 'answer' | 'number' | 'keep'): void {
    const r = this.renderRoot;
    const q = (sel: string) => r.querySelector<HTMLElement>(sel);
    (where === 'answer'
      ? q('[data-k=answer]')
      : where === 'number'
        ? q('input[name=number]')
        : (q('[data-k=keep]') ??
          q('[part~=calls] button:not([aria-disabled=true])') ??
          q('input[name=number]') ??
          q('input, button'))
    )?.focus();
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
    this._adding = false;
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
      : Promise.reject(new IpoError('invalid-config', this.localize.t.noSessionHint));
  }

  /** Runs a user action; a failure becomes `ipo-error` (the session shows its message). */
  async #run(action: () => Promise<unknown>): Promise<void> {
    this._outcome = '';
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

  /** Makes `c` the active call: holds the one talking, resumes `c`. */
  async #swap(c: CallSnapshot): Promise<void> {
    const s = this.#s.session;
    if (!s) return;
    const current = s.snapshot.call;
    if (current && current.id !== c.id && current.canHold) await s.hold(current.id);
    s.setActiveCall(c.id);
    if (s.snapshot.calls.find((o) => o.id === c.id)?.canResume) await s.resume(c.id);
  }

  /** Consult first: holds the call, calls the target; complete or go back from there. */
  async #consult(c: CallSnapshot, target: string): Promise<void> {
    const s = this.#s.session;
    if (!s) return;
    if (c.canHold) await s.hold(c.id);
    const to = await s.call(target);
    this._consult = { from: c.id, to };
    this._transfer = null;
  }

  readonly #on: Handlers = {
    login: (e) => {
      e.preventDefault();
      if (this.#s.value?.registration.state === 'logging-in') return;
      const data = new FormData(e.target as HTMLFormElement);
      void this.#ring.unlock(); // a user gesture: lets the ringing tone play later
      if (this.notify) this.#notice.request();
      void this.#run(() => this.login(String(data.get('user')), String(data.get('password'))));
    },
    cancelLogin: () => void this.#run(() => this.logout()),
    signIn: () => void this.#run(() => this.signIn()),
    // "Use it here": the same login again, taking the extension over from where it is in use
    useHere: () => {
      const field = (name: string) =>
        this.renderRoot.querySelector<HTMLInputElement>(`[part~=login] input[name=${name}]`);
      const user = field('user')?.value ?? '';
      const password = field('password');
      const session = this.#s.session;
      // signed in through the site's token route: the same sign-in, forced
      if (!password && session?.tokenSignIn && session.signIn)
        return void this.#run(() => session.signIn!({ bump: true }));
      if (!password?.value) return void password?.focus(); // typed once more, then "Use it here"
      void this.#run(() => this.#with((s) => s.login(user, password.value, { bump: true })));
    },
    dial: (e) => {
      e.preventDefault();
      const video = (e.submitter as HTMLButtonElement | null)?.value === 'video';
      if (this.#s.value?.canCall) void this.#run(() => this.call(this.number.trim(), video));
    },
    input: (e) => {
      this.number = (e.target as HTMLInputElement).value;
      this._outcome = '';
    },
    key: (k) => {
      const call = this.#s.value?.call;
      if (this._keypad && call?.canSendDigits) {
        this._digits += k;
        this.#act((s) => s.sendDigits(call.id, k));
      } else this.number += k;
    },
    keydown: (e) => {
      const key = KEYS.find((k) => k === e.key);
      if (!key || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      this.renderRoot
        .querySelectorAll<HTMLElement>('[part~=dialpad__key]')
        [KEYS.indexOf(key)]?.focus();
      this.#on.key(key);
    },
    backspace: () => {
      this.number = this.number.slice(0, -1);
      if (!this.number) this.#focusNext = 'number';
    },
    answer: (c) => this.#act((s) => s.answer(c.id)),
    hangup: (c) => void this.#run(() => this.hangup(c.id)),
    hold: (c) => this.#act((s) => (c.held ? s.resume(c.id) : s.hold(c.id))),
    mute: (c) => this.#act((s) => (c.muted ? s.unmute(c.id) : s.mute(c.id))),
    video: (c) => this.#act((s) => (c.video ? s.removeVideo(c.id) : s.addVideo(c.id))),
    keypad: () => {
      this._keypad = !this._keypad;
      this._adding = false;
      this._transfer = null;
    },
    add: () => {
      this._adding = !this._adding;
      this._keypad = false;
      this._transfer = null;
      if (this._adding) void this.updateComplete.then(() => this.#focus('number'));
    },
    transfer: (c) => {
      this._transfer = this._transfer === c.id ? null : c.id;
      this._keypad = this._adding = false;
      if (this._transfer)
        void this.updateComplete.then(() =>
          this.renderRoot.querySelector<HTMLElement>('input[name=target]')?.focus(),
        );
    },
    transferSubmit: (e, c) => {
      e.preventDefault();
      const target = String(new FormData(e.target as HTMLFormElement).get('target')).trim();
      const t = this.localize.t;
      if ((e.submitter as HTMLButtonElement | null)?.value === 'consult')
        void this.#run(() => this.#consult(c, target));
      else
        void this.#run(async () => {
          await this.#with((s) => s.transfer(c.id, target));
          this._outcome = t.transferred(target);
        });
    },
    transferTo: (c, o) => {
      const t = this.localize.t;
      void this.#run(async () => {
        await this.#with((s) => s.transfer(c.id, o.id, { attended: true }));
        this._outcome = t.transferred(who(o, t));
      });
    },
    complete: () => {
      const k = this._consult;
      const calls = this.#s.value?.calls ?? [];
      const from = calls.find((c) => c.id === k?.from);
      const to = calls.find((c) => c.id === k?.to);
      if (from && to) this.#on.transferTo(from, to);
    },
    goBack: () => {
      const k = this._consult;
      if (!k) return;
      this._consult = null;
      void this.#run(async () => {
        await this.hangup(k.to);
        const from = this.#s.session?.snapshot.calls.find((c) => c.id === k.from);
        if (from) await this.#swap(from);
      });
    },
    swap: (c) => void this.#run(() => this.#swap(c)),
    logout: () => {
      if (this.#s.value?.calls.length) {
        this._confirm = !this._confirm;
        void this.updateComplete.then(() => this.#confirmFocus());
      } else void this.#run(() => this.logout());
    },
    logoutConfirmed: () => {
      this._confirm = false;
      void this.#run(() => this.logout());
    },
    logoutCancelled: () => {
      this._confirm = false;
      void this.updateComplete.then(() =>
        this.renderRoot.querySelector<HTMLElement>('[data-k=logout]')?.focus(),
      );
    },
    dismiss: () => this.#s.session?.clearError(),
    sound: () => void this.#ring.unlock(),
  };

  #confirmFocus(): void {
    if (this._confirm) this.renderRoot.querySelector<HTMLElement>('[data-k=keep]')?.focus();
  }

  override render() {
    return renderPhone({
      t: this.localize.t,
      dir: this.localize.dir,
      s: this.#s.value,
      user: this.user,
      tokenSignIn: !!this.#s.session?.tokenSignIn,
      number: this.number,
      noDialpad: this.noDialpad,
      live: this._live,
      blocked: this.#ring.blocked,
      keypad: this._keypad,
      adding: this._adding,
      digits: this._digits,
      transfer: this._transfer,
      consult: this._consult,
      confirm: this._confirm,
      outcome: this._outcome,
      moved: this.#moved,
      on: this.#on,
    });
  }
}
