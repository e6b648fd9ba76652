import { html, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { SessionHandle } from '../../context/session-context.js';
import { SessionStateController } from '../../controllers/session-state-controller.js';
import type { CallSnapshot, CallStreams } from '../../core/snapshot.js';
import { IpoElement, warnOnce } from '../../internal/ipo-element.js';
import { pick } from '../../internal/pick.js';
import { baseStyles } from '../../internal/styles.js';
import { videoPairStyles } from './video-pair.styles.js';

const LAYOUTS = ['side', 'pip'] as const;

/**
 * The far end's video and your own camera for one call: the active call by default (following
 * it when it changes), or the call named by `call-id`. Shows a poster while there is no video.
 * Both videos are muted: the SDK plays the call's audio itself.
 *
 * @summary Remote and local video of a call.
 * @tag ipo-video-pair
 * @status experimental
 * @since 0.1
 * @slot - Content shown under the videos.
 * @csspart base - Outer wrapper.
 * @csspart remote - The far end's area (video or poster).
 * @csspart remote-video - The far end's video.
 * @csspart poster - Shown instead of the far end's video while there is none.
 * @csspart local-video - Your camera (mirrored).
 * @cssprop [--ipo-video-pair-background=#1f2328] - Background behind videos and poster.
 * @cssprop [--ipo-video-pair-poster-text=#fff] - Poster text colour.
 * @cssprop [--ipo-video-pair-aspect=16 / 9] - Aspect ratio of the video boxes.
 * @cssprop [--ipo-video-pair-pip-size=28%] - Width of your camera in the `pip` layout.
 * @cssprop [--ipo-radius=6px] - Corner radius.
 * @cssprop [--ipo-space=0.5rem] - Spacing (docs/theming.md lists every shared token).
 * @cssstate call - A call is shown.
 * @cssstate video - The call has video.
 */
export class IpoVideoPair extends IpoElement {
  static override styles = [baseStyles, videoPairStyles];

  #s = new SessionStateController(this, pick('calls', 'call', 'streams'));

  /** The session to use; wins over the nearest `<ipo-session>`. */
  @property({ attribute: false }) session: SessionHandle | null = null;
  /** Shows this call instead of following the active one. */
  @property({ attribute: 'call-id' }) callId = '';
  /** `side` (default): side by side; `pip`: your camera small over the far end's video. */
  @property({ reflect: true }) layout: (typeof LAYOUTS)[number] = 'side';

  #call: CallSnapshot | null = null;
  #streams: CallStreams | null = null;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('layout') && !LAYOUTS.includes(this.layout)) {
      warnOnce(`<ipo-video-pair>: layout "${this.layout}" is not "side" or "pip"; using "side".`);
      this.layout = 'side';
    }
    this.setGroupLabel(this.localize.t.videos);
    const s = this.#s.value;
    const call = (this.callId ? s?.calls.find((c) => c.id === this.callId) : s?.call) ?? null;
    const streams = call ? s?.streams[call.id] : undefined;
    this.#call = call;
    this.#streams = call?.video && streams?.video ? streams : null;
    this.setStates({ call: !!call, video: !!this.#streams });
  }

  override render() {
    const t = this.localize.t;
    const call = this.#call;
    const streams = this.#streams;
    const video = !!streams;
    const name = call ? call.farEnd.name || call.farEnd.number || t.unknown : '';
    return html`<div part="base" dir=${this.localize.dir}>
        <div part="remote">
          <video
            part="remote-video"
            aria-label=${t.remoteVideo(name)}
            autoplay
            playsinline
            muted
            .muted=${true}
            .srcObject=${streams?.remote ?? null}
            ?hidden=${!video}
          ></video>
          <div part="poster" ?hidden=${video}>${call ? name : t.noVideo}</div>
        </div>
        <video
          part="local-video"
          aria-label=${t.localVideo}
          autoplay
          playsinline
          muted
          .muted=${true}
          .srcObject=${streams?.local ?? null}
          ?hidden=${!video}
        ></video>
      </div>
      <slot></slot>`;
  }
}
