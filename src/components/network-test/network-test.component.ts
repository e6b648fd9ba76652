import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  NetworkTest,
  type NetworkCredentials,
  type NetworkSample,
  type NetworkTestResult,
  type NetworkTestState,
} from '../../core/network-test.js';
import type { IpoError } from '../../core/errors.js';
import { IpoNetworkTestEvent } from '../../events/index.js';
import { IpoElement, warnOnce } from '../../internal/ipo-element.js';
import { baseStyles } from '../../internal/styles.js';
import { networkTestStyles } from './network-test.styles.js';

const W = 300;
const H = 100;

/**
 * The gateway's loopback network test (relay service): runs on demand for `duration` seconds,
 * draws round-trip time, jitter and loss live as an inline SVG chart, and ends with a verdict in
 * plain words — good for voice and video, voice only, or poor (with the reason). The numbers are
 * properties (`samples`, `result`) and travel in the `ipo-network-test` event.
 *
 * It logs in to the relay service on its own, with the extension and password typed into its
 * form or given as the `credentials` property (never an attribute). The gateway is its own
 * `gateway` attribute, else the enclosing `<ipo-session>`'s.
 *
 * @summary Network test with a live chart and a verdict.
 * @tag ipo-network-test
 * @status experimental
 * @since 0.2
 * @slot - Content shown under the test.
 * @csspart base - Outer wrapper.
 * @csspart form - The credentials form.
 * @csspart input - Text inputs.
 * @csspart button - Buttons.
 * @csspart progress - Progress while the test runs.
 * @csspart chart - The SVG chart.
 * @csspart legend - The chart's legend.
 * @csspart verdict - The verdict line.
 * @csspart figures - The result figures.
 * @csspart error - Shown when the test could not run.
 * @cssprop [--ipo-network-test-width=24rem] - Maximum width.
 * @cssprop [--ipo-network-test-rtt-color=var(--ipo-accent)] - RTT line.
 * @cssprop [--ipo-network-test-jitter-color=var(--ipo-held)] - Jitter line.
 * @cssprop [--ipo-network-test-loss-color=var(--ipo-danger)] - Loss bars.
 * @cssprop [--ipo-network-test-chart-background=transparent] - Chart background.
 * @cssprop [--ipo-network-test-good-color=var(--ipo-success)] - Verdict colour when good.
 * @cssprop [--ipo-network-test-poor-color=var(--ipo-danger)] - Verdict colour when poor.
 * @cssprop [--ipo-surface=light-dark(#fff, #161b22)] - Background (docs/theming.md lists every shared token).
 * @cssstate running - The test is running.
 * @cssstate good - The last result was good for voice and video.
 * @cssstate voice-only - The last result was good enough for voice only.
 * @cssstate poor - The last result was poor.
 * @fires {IpoNetworkTestEvent} ipo-network-test - Every second of a test, and when it ends (`result` set) or fails (`error` set).
 */
export class IpoNetworkTest extends IpoElement {
  static override styles = [baseStyles, networkTestStyles];

  /** The gateway (`host`, `host:port`); default: the enclosing `<ipo-session>`'s `gateway`. */
  @property() gateway = '';
  /** Test length in seconds (1–120). */
  @property({ type: Number }) duration = 10;
  /** Prefills the extension field. */
  @property() user = '';
  /** Credentials for the relay login; when set, the form shows only the start button. Never reflected. */
  @property({ attribute: false }) credentials: NetworkCredentials | null = null;

  /** The test's state. */
  @state() state: NetworkTestState = 'idle';
  /** One entry per second of the current or last test. */
  @state() samples: readonly NetworkSample[] = [];
  /** The last finished test, or null. */
  @state() result: NetworkTestResult | null = null;
  @state() private _error: IpoError | null = null;

  #test: NetworkTest | null = null;

  /** Runs the test (with `credentials`, or the given ones); resolves with its result. */
  async start(
    credentials: NetworkCredentials | null = this.credentials,
  ): Promise<NetworkTestResult> {
    const gateway =
      this.gateway ||
      this.closest('ipo-session')?.getAttribute('gateway') ||
      (location.protocol === 'https:' ? location.host : '');
    const test = (this.#test = new NetworkTest({ gateway }));
    const seconds =
      Number.isFinite(this.duration) && this.duration >= 1 && this.duration <= 120
        ? this.duration
        : 10;
    const update = () => {
      this.state = test.state;
      this.samples = test.samples;
      this.result = test.result;
      this._error = test.error;
      this.emit(new IpoNetworkTestEvent(test.state, test.samples, test.result, test.error));
    };
    test.addEventListener('change', update);
    test.addEventListener('sample', update);
    try {
      return await test.run(credentials ?? { user: '', password: '' }, seconds);
    } catch (e) {
      update();
      throw e;
    }
  }

  /** Ends a running test early; the result covers the seconds so far. */
  stop(): void {
    this.#test?.stop();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('duration') && !(this.duration >= 1 && this.duration <= 120)) {
      warnOnce(
        `<ipo-network-test>: duration "${this.duration}" is not 1 to 120 seconds; using 10.`,
      );
    }
    this.setGroupLabel(this.localize.t.networkTest);
    const level = this.result?.verdict.level;
    this.setStates({
      running: this.state === 'running' || this.state === 'connecting',
      good: level === 'good',
      'voice-only': level === 'voice-only',
      poor: level === 'poor',
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private handleSubmit(e: SubmitEvent): void {
    e.preventDefault();
    if (this.state === 'running' || this.state === 'connecting') return this.stop();
    const data = new FormData(e.target as HTMLFormElement);
    const creds = this.credentials ?? {
      user: String(data.get('user') ?? ''),
      password: String(data.get('password') ?? ''),
    };
    this.start(creds).catch(() => undefined); // shown in the error part
  }

  #chart() {
    const s = this.samples;
    const n = Math.max(this.duration, s.length, 2);
    const max = Math.max(50, ...s.map((x) => Math.max(x.rtt ?? 0, x.jitter)));
    const x = (t: number) => ((t - 1) / (n - 1)) * W;
    const y = (v: number) => H - (Math.min(v, max) / max) * H;
    const line = (f: (x: NetworkSample) => number | null) =>
      s
        .filter((p) => f(p) !== null)
        .map((p) => `${x(p.t).toFixed(1)},${y(f(p)!).toFixed(1)}`)
        .join(' ');
    const t = this.localize.t;
    return html`<svg part="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${t.networkChart(Math.round(max))} preserveAspectRatio="none">
        ${s.map((p) => (p.loss > 0 ? svg`<rect class="loss" x=${x(p.t) - 2} y=${H - Math.min(p.loss, 100)} width="4" height=${Math.min(p.loss, 100)}></rect>` : nothing))}
        <polyline class="rtt" points=${line((p) => p.rtt)}></polyline>
        <polyline class="jit" points=${line((p) => p.jitter)}></polyline>
      </svg>
      <div part="legend" aria-hidden="true"><span class="rtt">— ${t.rtt}</span><span class="jit">— ${t.jitter}</span><span class="loss">▮ ${t.loss}</span></div>`;
  }

  override render() {
    const t = this.localize.t;
    const busy = this.state === 'running' || this.state === 'connecting';
    const r = this.result;
    const last = this.samples[this.samples.length - 1];
    const err = this._error;
    return html`<div part="base" dir=${this.localize.dir}>
        <form part="form" class="row" @submit=${this.handleSubmit} aria-busy=${busy}>
          ${
            this.credentials
              ? nothing
              : html`<label>${t.user} <input part="input" name="user" autocomplete="username" required ?disabled=${busy} .value=${this.user} /></label>
                <label>${t.password} <input part="input" name="password" type="password" autocomplete="current-password" required ?disabled=${busy} /></label>`
          }
          <button part="button" type="submit">${busy ? t.stopTest : t.startTest}</button>
        </form>
        ${
          busy
            ? html`<progress part="progress" max=${this.duration} .value=${this.samples.length} aria-label=${t.testProgress}></progress>`
            : nothing
        }
        ${this.samples.length ? this.#chart() : nothing}
        <p part="verdict" role="status">${busy ? (last ? t.testFigures(last.rtt, last.jitter, last.loss) : t.connectingTest) : r ? t.verdict[r.verdict.level](r.verdict.reason) : ''}</p>
        ${
          r && !busy
            ? html`<dl part="figures">
              <dt>${t.rtt}</dt><dd>${r.rtt === null ? '–' : `${r.rtt.toFixed(0)} ms`}</dd>
              <dt>${t.jitter}</dt><dd>${r.jitter.toFixed(0)} ms</dd>
              <dt>${t.loss}</dt><dd>${r.loss.toFixed(1)} %</dd>
            </dl>`
            : nothing
        }
        <p part="error" role="alert" ?hidden=${!err || busy}>${err ? (t.errors[err.code] ?? err.message) : ''}</p>
      </div>
      <slot></slot>`;
  }
}
