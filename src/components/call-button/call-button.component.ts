import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { SessionStateController } from '../../controllers/session-state-controller.js';
import { IpoError } from '../../core/errors.js';
import { isRegistered, type SessionSnapshot } from '../../core/snapshot.js';
import { IpoCallEndedEvent, IpoErrorEvent } from '../../events/index.js';
import { errorText } from '../../i18n/localize.js';
import { IpoElement } from '../../internal/ipo-element.js';
import { pick } from '../../internal/pick.js';
import { baseStyles } from '../../internal/styles.js';
import { callButtonStyles } from './call-button.styles.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const VIEW = ['registration', 'calls', 'lastEnded', 'error', 'videoEnabled'] as const;
type View = Pick<SessionSnapshot, (typeof VIEW)[number]>;

/** 65 s → "1:05". */
const clock = (ms: number): string => {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * One button that calls one number, for CMS pages: put it inside an `<ipo-session>` (with a
 * `token-url`, it signs in by itself for the call and signs out again afterwards). While the
 * call is up it is an in-call bar: far-end name, timer, mute, keypad on demand, hang up; after
 * the call it says how the call ended. Attributes only: `number`, `label`, `video`.
 *
 * @summary Click-to-call: one button, one number, an in-call bar.
 * @tag ipo-call-button
 * @status experimental
 * @since 0.1
 * @csspart base - The wrapper.
 * @csspart button - Every button.
 * @csspart call - The call button (before and after the call).
 * @csspart bar - The in-call bar.
 * @csspart name - The far end's name in the bar.
 * @csspart timer - The call timer.
 * @csspart keypad - The keypad (when opened).
 * @csspart ended - How the last call ended.
 * @csspart error - The last error message.
 * @cssstate calling - A call is being set up.
 * @cssstate in-call - A call is connected or held.
 * @cssstate error - An error message is shown.
 * @fires {IpoCallEndedEvent} ipo-call-ended - The button's call ended.
 * @fires {IpoErrorEvent} ipo-error - Signing in or calling failed.
 */
export class IpoCallButton extends IpoElement {
  static override styles = [baseStyles, callButtonStyles];

  #s = new SessionStateController(this, pick(...VIEW));

  /** The number to call. */
  @property() number = '';
  /** The button's text (default: "Call" and the number). */
  @property() label = '';
  /** Makes it a video call (the session must allow video). */
  @property({ type: Boolean }) video = false;

  /** The id of the call this button placed. */
  @state() private _callId: string | null = null;
  @state() private _busy = false;
  @state() private _keypad = false;
  @state() private _live = '';
  /** How this button's last call ended (shown until the next call). */
  @state() private _ended: string | null = null;
  #signedIn = false;
  #tick?: ReturnType<typeof setInterval>;
  #prev: View | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#tick);
    this.#tick = undefined;
  }

  /** Signs in if needed and calls `number`; resolves with the call id. */
  async call(): Promise<string> {
    const session = this.#s.session;
    const t = this.localize.t;
    if (!session) throw new IpoError('invalid-config', t.noSession);
    this._ended = null;
    if (!isRegistered(session.snapshot.registration.state)) {
      if (!session.tokenSignIn || !session.signIn)
        throw new IpoError('not-logged-in', t.registration['logged-out']);
      await session.signIn();
      this.#signedIn = true;
    }
    try {
      const id = await session.call(this.number, { video: this.video });
      this._callId = id;
      return id;
    } catch (error) {
      await this.#signOut();
      throw error;
    }
  }

  /** Ends the button's call. */
  async hangup(): Promise<void> {
    if (this._callId) await this.#s.session?.hangup(this._callId);
  }

  protected override willUpdate(_changed: PropertyValues<this>): void {
    const s = this.#s.value;
    const p = this.#prev;
    this.#prev = s;
    const t = this.localize.t;
    this.setGroupLabel(this.label || `${t.call} ${this.number}`);
    const call = s?.calls.find((c) => c.id === this._callId);
    this.setStates({
      calling: !!call && ['dialing', 'ringing', 'progressing'].includes(call.state),
      'in-call': !!call && (call.state === 'connected' || call.state === 'held'),
      error: !!s?.error && !!this._error(s),
    });
    if (!s || !p || s === p || !this._callId) return;
    const old = p.calls.find((c) => c.id === this._callId);
    if (call && old?.state !== call.state) this._live = t.callState[call.state];
    if (old && !call) {
      const ended = s.lastEnded?.id === old.id ? s.lastEnded : null;
      const name = old.farEnd.name || old.farEnd.number || this.number;
      this._ended = ended?.reason ? `${t.callEnded(name)}: ${ended.reason}` : t.callEnded(name);
      this._live = this._ended;
      this._callId = null;
      this._keypad = false;
      if (ended) this.emit(new IpoCallEndedEvent(ended));
      void this.#signOut();
    }
  }

  protected override updated(): void {
    const timing = !!this.#s.value?.calls.find((c) => c.id === this._callId)?.connectedAt;
    if (timing && !this.#tick) this.#tick = setInterval(() => this.requestUpdate(), 1000);
    if (!timing && this.#tick) {
      clearInterval(this.#tick);
      this.#tick = undefined;
    }
  }

  /** The error to show: only while this button is in use or right after. */
  private _error(s: View): IpoError | null {
    return this._busy || this._callId || this.#signedIn || this._ended !== null ? s.error : null;
  }

  async #signOut(): Promise<void> {
    if (!this.#signedIn) return;
    this.#signedIn = false;
    await this.#s.session?.logout().catch(() => undefined);
  }

  async #run(action: () => Promise<unknown>): Promise<void> {
    this._busy = true;
    try {
      await action();
    } catch (error) {
      if (!(error instanceof IpoError)) throw error;
      if (error.code !== 'cancelled') {
        this._ended = '';
        this._live = errorText(this.localize.t, error);
        this.emit(new IpoErrorEvent(error));
      }
    } finally {
      this._busy = false;
    }
  }

  override render() {
    const t = this.localize.t;
    const s = this.#s.value;
    const call = s?.calls.find((c) => c.id === this._callId);
    const error = s ? this._error(s) : null;
    const text = this.label || `${t.call} ${this.number}`;
    return html`<div part="base" dir=${this.localize.dir}>
      ${
        call
          ? html`<div part="bar" role="group" aria-label=${text}>
            <span part="name">${call.farEnd.name || call.farEnd.number || this.number}</span>
            <span part="timer" aria-hidden=${call.connectedAt === null}
              >${
                call.connectedAt === null
                  ? t.callState[call.state]
                  : clock(Date.now() - call.connectedAt)
              }</span
            >
            <button
              part="button"
              type="button"
              aria-pressed=${call.muted}
              aria-disabled=${!(call.canMute || call.canUnmute)}
              @click=${() =>
                void this.#run(() =>
                  call.muted ? this.#s.session!.unmute(call.id) : this.#s.session!.mute(call.id),
                )}
            >
              ${t.mute}
            </button>
            <button
              part="button"
              type="button"
              aria-expanded=${this._keypad}
              aria-disabled=${!call.canSendDigits}
              @click=${() => (this._keypad = !this._keypad)}
            >
              ${t.dialpad}
            </button>
            <button
              part="button"
              type="button"
              class="no"
              aria-disabled=${!call.canHangup}
              @click=${() => void this.#run(() => this.hangup())}
            >
              ${t.hangup}
            </button>
            ${
              this._keypad
                ? html`<div part="keypad" role="group" aria-label=${t.dialpad}>
                  ${KEYS.map(
                    (k) =>
                      html`<button
                        part="button"
                        type="button"
                        aria-disabled=${!call.canSendDigits}
                        @click=${() =>
                          call.canSendDigits &&
                          void this.#run(() => this.#s.session!.sendDigits(call.id, k))}
                      >
                        ${k}
                      </button>`,
                  )}
                </div>`
                : nothing
            }
          </div>`
          : html`<button
            part="button call"
            type="button"
            class="ok"
            aria-disabled=${this._busy || !s || !this.number}
            aria-busy=${this._busy}
            @click=${() => !this._busy && s && this.number && void this.#run(() => this.call())}
          >
            ${
              this._busy
                ? s && isRegistered(s.registration.state)
                  ? t.callState.dialing
                  : t.registration['logging-in']
                : text
            }
          </button>`
      }
      ${!call && this._ended ? html`<p part="ended" class="mu">${this._ended}</p>` : nothing}
      ${error ? html`<p part="error">${errorText(t, error)}</p>` : nothing}
      <div class="sr" role="status">${this._live}</div>
    </div>`;
  }
}
