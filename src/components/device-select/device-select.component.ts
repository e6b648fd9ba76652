import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { SessionHandle } from '../../context/session-context.js';
import { SessionStateController } from '../../controllers/session-state-controller.js';
import { IpoError } from '../../core/errors.js';
import type { DeviceInfo, DeviceSelection } from '../../core/snapshot.js';
import { IpoErrorEvent } from '../../events/index.js';
import { IpoElement } from '../../internal/ipo-element.js';
import { pick } from '../../internal/pick.js';
import { baseStyles } from '../../internal/styles.js';
import { play, route, unlock } from '../../internal/tone.js';
import { deviceSelectStyles } from './device-select.styles.js';

type Field = keyof DeviceSelection;
/** localStorage key of the remembered choice. */
const KEY = 'ipo-webrtc-kit:devices';
/** Browser aliases that duplicate our "System default" entry. */
const ALIAS = new Set(['default', 'communications']);

function saved(): Partial<DeviceSelection> {
  try {
    return (JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<DeviceSelection>) ?? {};
  } catch {
    return {};
  }
}

/**
 * Microphone, camera and speaker choices for the session, with the browser's device names,
 * kept current when devices are plugged in or out. A change applies at once, also during a
 * call (the call keeps going on the new device), and is remembered for the next visit.
 *
 * @summary Device pickers (microphone, camera, speaker) with a speaker test.
 * @tag ipo-device-select
 * @status experimental
 * @since 0.1
 * @slot - Content shown under the pickers.
 * @csspart base - Outer wrapper.
 * @csspart field - One label with its select.
 * @csspart select - One select.
 * @csspart button - Every button.
 * @csspart test - The speaker test button.
 * @csspart permission - The button that asks for device access so names can be shown.
 * @cssprop [--ipo-device-select-width=24rem] - Maximum width.
 * @cssprop [--ipo-device-select-border=transparent] - Border around the pickers.
 * @cssprop [--ipo-surface=light-dark(#fff, #161b22)] - Background (docs/theming.md lists every shared token).
 * @cssprop [--ipo-on-surface=light-dark(#1f2328, #e6edf3)] - Text colour.
 * @cssprop [--ipo-border=light-dark(#818b98, #6e7681)] - Borders of the selects and buttons.
 * @cssprop [--ipo-focus=var(--ipo-accent)] - Focus ring colour.
 * @cssprop [--ipo-radius=6px] - Corner radius.
 * @cssprop [--ipo-space=0.5rem] - Spacing.
 * @cssstate loaded - The device list has arrived.
 * @fires {Event} change - The user chose a device and the session switched to it.
 * @fires {IpoErrorEvent} ipo-error - A device could not be switched or listed.
 */
export class IpoDeviceSelect extends IpoElement {
  static override styles = [baseStyles, deviceSelectStyles];

  #s = new SessionStateController(this, pick('devices'));
  #asked?: SessionHandle;
  #restored?: SessionHandle;

  /** The session to use; wins over the nearest `<ipo-session>`. */
  @property({ attribute: false }) session: SessionHandle | null = null;
  /** Hides the camera choice. */
  @property({ type: Boolean, attribute: 'no-camera' }) noCamera = false;
  /** Hides the speaker choice and test. */
  @property({ type: Boolean, attribute: 'no-speaker' }) noSpeaker = false;
  /** Does not remember the choice in localStorage. */
  @property({ type: Boolean, attribute: 'no-remember' }) noRemember = false;

  /** The chosen microphone's id ('' = system default). */
  get audioInput(): string {
    return this.#selected('audioInput');
  }
  /** The chosen camera's id ('' = system default). */
  get videoInput(): string {
    return this.#selected('videoInput');
  }
  /** The chosen speaker's id ('' = system default). */
  get audioOutput(): string {
    return this.#selected('audioOutput');
  }

  /** Plays a short tone on the chosen speaker. */
  async testSpeaker(): Promise<void> {
    await unlock();
    await route(this.audioOutput);
    play([
      [[660], 0, 0.2],
      [[880], 0.25, 0.3],
    ]);
  }

  protected override willUpdate(): void {
    this.setGroupLabel(this.localize.t.devices);
    this.setStates({ loaded: !!this.#s.value?.devices.loaded });
  }

  protected override updated(): void {
    const session = this.#s.session;
    if (!session) return;
    if (this.#asked !== session) {
      this.#asked = session;
      void this.#try(() => session.refreshDevices());
    }
    const devices = this.#s.value?.devices;
    if (devices?.loaded && this.#restored !== session) {
      this.#restored = session;
      if (this.noRemember) return;
      // Only devices still connected; the rest stays as it is.
      const choice: { -readonly [K in Field]?: string } = {};
      for (const [field, id] of Object.entries(saved()) as [Field, string][]) {
        if (devices[field]?.some((d) => d.id === id) && devices.selected[field] !== id)
          choice[field] = id;
      }
      if (Object.keys(choice).length) void this.#try(() => session.selectDevices(choice));
    }
  }

  #selected(field: Field): string {
    return this.#s.value?.devices.selected[field] ?? '';
  }

  /** Runs an action; on failure, `undo()` then `ipo-error`. */
  async #try(run: () => Promise<unknown>, undo?: () => void): Promise<boolean> {
    try {
      await run();
      return true;
    } catch (error) {
      undo?.();
      this.emit(
        new IpoErrorEvent(
          error instanceof IpoError
            ? error
            : new IpoError('media-failed', 'The microphone or camera could not be opened.', {
                cause: error,
              }),
        ),
      );
      return false;
    }
  }

  private async handleChange(e: Event): Promise<void> {
    const select = e.target as HTMLSelectElement;
    const field = select.name as Field;
    const session = this.#s.session;
    if (!session) return;
    const undo = (): void => void (select.value = this.#selected(field));
    if (!(await this.#try(() => session.selectDevices({ [field]: select.value }), undo))) return;
    if (!this.noRemember) {
      try {
        localStorage.setItem(KEY, JSON.stringify(session.snapshot.devices.selected));
      } catch {
        /* storage may be unavailable */
      }
    }
    this.dispatchEvent(new Event('change', { bubbles: true }));
  }

  private async handlePermissionClick(): Promise<void> {
    const session = this.#s.session;
    const devices = this.#s.value?.devices;
    if (!session || !devices) return;
    await this.#try(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: true,
        video: !this.noCamera && devices.videoInput.length > 0,
      });
      for (const track of stream.getTracks()) track.stop();
      await session.refreshDevices();
    });
  }

  #field(field: Field, label: string, list: readonly DeviceInfo[]) {
    const selected = this.#selected(field);
    return html`<label part="field"
      >${label}
      <select part="select" name=${field} @change=${this.handleChange}>
        <option value="" .selected=${selected === ''}>${this.localize.t.systemDefault}</option>
        ${list
          .filter((d) => !ALIAS.has(d.id))
          .map(
            (d, i) =>
              html`<option value=${d.id} .selected=${d.id === selected}>
                ${d.label || `${label} ${i + 1}`}
              </option>`,
          )}
      </select>
    </label>`;
  }

  override render() {
    const t = this.localize.t;
    const d = this.#s.value?.devices;
    const all = d ? [...d.audioInput, ...d.videoInput, ...d.audioOutput] : [];
    return html`<div part="base" dir=${this.localize.dir}>
        ${this.#field('audioInput', t.microphone, d?.audioInput ?? [])}
        ${this.noCamera ? nothing : this.#field('videoInput', t.camera, d?.videoInput ?? [])}
        ${
          this.noSpeaker || !d?.audioOutput.length
            ? nothing
            : this.#field('audioOutput', t.speaker, d.audioOutput)
        }
        <div class="row">
          ${
            this.noSpeaker
              ? nothing
              : html`<button part="button test" type="button" @click=${this.testSpeaker}>
                ${t.testSpeaker}
              </button>`
          }
          ${
            all.some((x) => !x.label)
              ? html`<button
                part="button permission"
                type="button"
                @click=${this.handlePermissionClick}
              >
                ${t.showNames}
              </button>`
              : nothing
          }
        </div>
      </div>
      <slot></slot>`;
  }
}
