import { html, nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import {
  NetworkTest,
  sessionCredentials,
  type NetworkCredentials,
  type NetworkSample,
  type NetworkTestResult,
  type NetworkTestState,
} from '../../core/network-test.js';
import type { IpoError } from '../../core/errors.js';
import { isRegistered } from '../../core/snapshot.js';
import { SessionStateController } from '../../controllers/session-state-controller.js';
import { errorText } from '../../i18n/localize.js';
import { VERDICT_LIMITS } from '../../core/network-verdict.js';
import { IpoNetworkTestEvent } from '../../events/index.js';
import { IpoElement, warnOnce } from '../../internal/ipo-element.js';
import { baseStyles } from '../../internal/styles.js';
import { networkTestStyles } from './network-test.styles.js';

/** The chart: plot area inside margins for the axes (viewBox units). */
const W = 320;
const H = 150;
const PLOT = { l: 34, r: 286, t: 8, b: 124 };
/** Top of the loss axis, percent: loss is drawn 0–10 % (more is clipped at the top). */
const LOSS_MAX = 10;
/** A round top for the delay axis, ms. */
const niceMax = (v: number): number =>
  [50, 100, 200, 300, 500, 1000, 2000, 5000].find((m) => m >= v) ?? Math.ceil(v / 1000) * 1000;

/**
 * The gateway's loopback network test (relay service): runs on demand for `duration` seconds,
 * draws round-trip time, jitter and loss live as an inline SVG chart, and ends with a verdict in
 * plain words — good for voice and video, voice only, or poor (with the reason). The numbers are
 * properties (`samples`, `result`) and travel in the `ipo-network-test` event.
 *
 * Inside a logged-in `<ipo-session>` it logs in to the relay service with the session's token and
 * asks for nothing; otherwise (or when the gateway refuses that token) with the extension and
 * password typed into its form, or the `credentials` property (never an attribute). The gateway
 * is its own `gateway` attribute, else the enclosing `<ipo-session>`'s.
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
 * @csspart limits - The thresholds behind the verdict, under the chart.
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
  /** The session's token was refused: the form asks for the password. */
  @state() private _askPassword = false;

  #test: NetworkTest | null = null;
  /** The enclosing session's registration: re-renders when it logs in or out. */
  readonly #reg = new SessionStateController(this, (s) => isRegistered(s.registration.state));

  /** Credentials from the logged-in session (its token), unless they were refused. */
  #fromSession(): NetworkCredentials | null {
    return this._askPassword || !this.#reg.value ? null : sessionCredentials(this.#reg.session);
  }

  /** Runs the test (with `credentials`, or the given ones); resolves with its result. */
  async start(
    credentials: NetworkCredentials | null = this.credentials ?? this.#fromSession(),
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
      // the session's token was not accepted (e.g. another gateway): ask for the password
      if (credentials && 'token' in credentials && test.error?.code === 'login-failed')
        this._askPassword = true;
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
    const creds = this.credentials ??
      this.#fromSession() ?? {
        user: String(data.get('user') ?? ''),
        password: String(data.get('password') ?? ''),
      };
    this.start(creds).catch(() => undefined); // shown in the error part
  }

  #chart() {
    const s = this.samples;
    const t = this.localize.t;
    const n = Math.max(this.duration, s.length, 2);
    const max = niceMax(Math.max(...s.map((p) => Math.max(p.rtt ?? 0, p.jitter))));
    const { l, r, t: top, b } = PLOT;
    const x = (sec: number) => l + ((sec - 1) / (n - 1)) * (r - l);
    const y = (ms: number) => b - (Math.min(ms, max) / max) * (b - top);
    const yLoss = (pc: number) => b - (Math.min(pc, LOSS_MAX) / LOSS_MAX) * (b - top);
    const line = (f: (p: NetworkSample) => number | null) =>
      s
        .filter((p) => f(p) !== null)
        .map((p) => `${x(p.t).toFixed(1)},${y(f(p)!).toFixed(1)}`)
        .join(' ');
    const fmt = new Intl.NumberFormat(this.localize.lang);
    const step = n <= 6 ? 1 : n <= 12 ? 2 : n <= 30 ? 5 : n <= 60 ? 10 : 20;
    const seconds = Array.from({ length: Math.floor(n / step) + 1 }, (_, i) => i * step).filter(
      (sec) => sec >= 1 || n < 2,
    );
    const lim = VERDICT_LIMITS.video;
    // the limits of "good for voice and video" that fall inside the scale, as dashed lines
    const limits = [
      { cls: 'rtt', at: lim.rtt <= max ? y(lim.rtt) : null, text: `${fmt.format(lim.rtt)} ms` },
      {
        cls: 'jit',
        at: lim.jitter <= max ? y(lim.jitter) : null,
        text: `${fmt.format(lim.jitter)} ms`,
      },
      { cls: 'loss', at: yLoss(lim.loss), text: `${fmt.format(lim.loss)} %` },
    ];
    return html`<svg part="chart" viewBox="0 0 ${W} ${H}" role="img" aria-label=${t.networkChart(max)}>
        <g class="axis" aria-hidden="true">
          <line x1=${l} y1=${top} x2=${l} y2=${b}></line>
          <line x1=${r} y1=${top} x2=${r} y2=${b}></line>
          <line x1=${l} y1=${b} x2=${r} y2=${b}></line>
          ${[0, max / 2, max].map((v) => svg`<text class="ms" x=${l - 3} y=${y(v) + 3} text-anchor="end">${fmt.format(v)}</text>`)}
          ${[0, LOSS_MAX / 2, LOSS_MAX].map((v) => svg`<text class="pc" x=${r + 3} y=${yLoss(v) + 3}>${fmt.format(v)}</text>`)}
          ${seconds.map((sec) => svg`<text class="sec" x=${x(sec)} y=${b + 11} text-anchor="middle">${fmt.format(sec)}</text>`)}
          <text class="unit" x=${l - 3} y=${H - 2} text-anchor="end">${t.chartUnits.delay}</text>
          <text class="unit" x=${(l + r) / 2} y=${H - 2} text-anchor="middle">${t.chartUnits.time}</text>
          <text class="unit" x=${r + 3} y=${H - 2}>${t.chartUnits.loss}</text>
        </g>
        <g class="limits" aria-hidden="true">
          ${limits.map((m) => (m.at === null ? nothing : svg`<line class=${m.cls} x1=${l} y1=${m.at} x2=${r} y2=${m.at}></line>`))}
        </g>
        ${s.map((p) => (p.loss > 0 ? svg`<rect class="loss" x=${x(p.t) - 2} y=${yLoss(p.loss)} width="4" height=${b - yLoss(p.loss)}></rect>` : nothing))}
        <polyline class="rtt" points=${line((p) => p.rtt)}></polyline>
        <polyline class="jit" points=${line((p) => p.jitter)}></polyline>
      </svg>
      <div part="legend" aria-hidden="true"><span class="rtt">— ${t.rtt}</span><span class="jit">— ${t.jitter}</span><span class="loss">▮ ${t.loss}</span><span class="lim">┄ ${t.chartLimit}</span></div>
      <p part="limits">${t.verdictLimits(VERDICT_LIMITS.video, VERDICT_LIMITS.voice)}</p>`;
  }

  /** A figure in the page's language, with `digits` decimals. */
  #n(value: number, digits = 0): string {
    return this.localize.number(value, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  }

  /**
   * The verdict's reason in the page's language, from the same figures and limits as the SDK's
   * English one: every figure over the voice limit when poor, the first one over the video limit
   * when voice only.
   */
  #reason(r: NetworkTestResult): string {
    const level = r.verdict.level;
    if (level === 'good') return '';
    const lim = level === 'poor' ? VERDICT_LIMITS.voice : VERDICT_LIMITS.video;
    const why = this.localize.t.verdictWhy;
    const rtt = r.rtt ?? 0;
    const parts = [
      r.loss > lim.loss ? why.loss(r.loss) : '',
      rtt > lim.rtt ? why.rtt(rtt) : '',
      r.jitter > lim.jitter ? why.jitter(r.jitter) : '',
    ].filter(Boolean);
    if (!parts.length) return r.verdict.reason;
    if (level === 'voice-only') return parts[0]!;
    try {
      return new Intl.ListFormat(this.localize.lang, { type: 'conjunction' }).format(parts);
    } catch {
      return parts.join(', ');
    }
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
            this.credentials || this.#fromSession()
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
        <p part="verdict" role="status">${busy ? (last ? t.testFigures(last.rtt, last.jitter, last.loss) : t.connectingTest) : r ? t.verdict[r.verdict.level](this.#reason(r)) : ''}</p>
        ${
          r && !busy
            ? html`<dl part="figures">
              <dt>${t.rtt}</dt><dd>${r.rtt === null ? '–' : `${this.#n(r.rtt)} ms`}</dd>
              <dt>${t.jitter}</dt><dd>${this.#n(r.jitter)} ms</dd>
              <dt>${t.loss}</dt><dd>${this.#n(r.loss, 1)} %</dd>
            </dl>`
            : nothing
        }
        <p part="error" role="alert" ?hidden=${!err || busy}>${err ? errorText(t, err) : ''}${this._askPassword && !busy ? ` ${t.passwordNeeded}` : ''}</p>
      </div>
      <slot></slot>`;
  }
}
