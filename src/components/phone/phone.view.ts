/**
 * `<ipo-phone>`'s templates: state → markup, nothing else (STYLE §3). The component builds a
 * PhoneModel each render and passes its handlers in `on`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { CallSnapshot, EndedCall, FarEnd, SessionSnapshot } from '../../core/snapshot.js';
import { errorText } from '../../i18n/localize.js';
import type { Translation } from '../../i18n/translation.js';
import { icon, type IconName } from '../../internal/icons.js';

export const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];
const LETTERS = ['', 'ABC', 'DEF', 'GHI', 'JKL', 'MNO', 'PQRS', 'TUV', 'WXYZ', '', '+', ''];
export const SETUP: ReadonlySet<string> = new Set(['dialing', 'ringing', 'progressing']);
export const LIVE: ReadonlySet<string> = new Set(['connected', 'held']);

export const VIEW = [
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
export type View = Pick<SessionSnapshot, (typeof VIEW)[number]>;

/** Errors that logged the phone out: the call they dropped stays shown above the login form. */
const LOST: ReadonlySet<string> = new Set(['session-ended', 'taken-over']);

/** Far-end name, else number, else "Unknown". */
export const who = (c: { farEnd: FarEnd }, t: Translation): string =>
  c.farEnd.name || c.farEnd.number || t.unknown;

export interface Consult {
  readonly from: string;
  readonly to: string;
}

export interface Handlers {
  login(e: SubmitEvent): void;
  dial(e: SubmitEvent): void;
  input(e: InputEvent): void;
  key(k: string): void;
  keydown(e: KeyboardEvent): void;
  backspace(): void;
  answer(c: CallSnapshot): void;
  hangup(c: CallSnapshot): void;
  hold(c: CallSnapshot): void;
  mute(c: CallSnapshot): void;
  video(c: CallSnapshot): void;
  keypad(): void;
  add(): void;
  transfer(c: CallSnapshot): void;
  transferSubmit(e: SubmitEvent, c: CallSnapshot): void;
  transferTo(c: CallSnapshot, o: CallSnapshot): void;
  complete(): void;
  goBack(): void;
  swap(c: CallSnapshot): void;
  logout(): void;
  logoutConfirmed(): void;
  logoutCancelled(): void;
  dismiss(): void;
  sound(): void;
  cancelLogin(): void;
  signIn(): void;
  useHere(): void;
}

export interface PhoneModel {
  t: Translation;
  dir: 'ltr' | 'rtl';
  s: View | undefined;
  user: string;
  /** The session signs in through a token URL: no form, a Log in button. */
  tokenSignIn: boolean;
  number: string;
  noDialpad: boolean;
  live: string;
  blocked: boolean;
  keypad: boolean;
  /** The dialer is open for another call beside the active one. */
  adding: boolean;
  digits: string;
  transfer: string | null;
  consult: Consult | null;
  confirm: boolean;
  outcome: string;
  /** The start of the current conversation on calls transferred by the other side. */
  moved: ReadonlyMap<string, { from: FarEnd; at: number }>;
  on: Handlers;
}

interface BtnOpts {
  cls?: string;
  pressed?: boolean;
  expanded?: boolean;
  of?: string;
  compact?: boolean;
  data?: string;
}

/** A button with an icon and a word; `enabled` false keeps it focusable but inert. */
function btn(
  label: string,
  name: IconName,
  enabled: boolean,
  onClick: () => void,
  o: BtnOpts = {},
): TemplateResult {
  return html`<button
    part="button"
    type="button"
    class=${o.cls ?? ''}
    title=${o.compact ? label : nothing}
    data-k=${o.data ?? nothing}
    aria-disabled=${!enabled}
    aria-pressed=${o.pressed ?? nothing}
    aria-expanded=${o.expanded ?? nothing}
    aria-describedby=${o.of ?? nothing}
    @click=${() => enabled && onClick()}
  >
    ${icon(name)}<span class=${o.compact ? 'sr' : ''}>${label}</span>
  </button>`;
}

const identity = (c: CallSnapshot, id: string, big: boolean, t: Translation) =>
  html`<div id=${id} class="who">
    <strong part="name" class=${big ? 'big' : ''}>${who(c, t)}</strong>
    ${c.farEnd.name && c.farEnd.number ? html`<span class="mu" dir="ltr">${c.farEnd.number}</span>` : nothing}
    ${c.farEnd.subject ? html`<span part="subject" class="mu">${c.farEnd.subject}</span>` : nothing}
  </div>`;

function quality(c: CallSnapshot, t: Translation) {
  const q = c.quality;
  return q
    ? html`<span
        part="quality"
        class=${q.level}
        role="img"
        aria-label=${t.quality[q.level]}
        title=${q.warnings.map((w) => t.qualityWarning[w] ?? w).join(' ')}
        ><i></i><i></i><i></i
      ></span>`
    : nothing;
}

function timer(c: CallSnapshot, m: PhoneModel) {
  const since = m.moved.get(c.id)?.at ?? c.connectedAt;
  return since !== null ? html`<time part="timer" data-since=${since}></time>` : nothing;
}

/** The incoming banner: who, audio or video, Answer and Decline first. */
function incoming(c: CallSnapshot, i: number, m: PhoneModel) {
  const { t, on } = m;
  const id = `c${i}`;
  return html`<li part="call" class="in" aria-labelledby="${id}t ${id}">
    <div part="banner" class="banner">
      <span class="av" aria-hidden="true">${icon(c.video ? 'video' : 'phone')}</span>
      <div>
        <span part="state" id="${id}t" class="kind">${c.video ? t.incomingVideoCall : t.callState.incoming}</span>
        ${identity(c, id, true, m.t)}
      </div>
    </div>
    <div part="actions" class="pair">
      ${btn(t.answer, c.video ? 'video' : 'phone', c.canAnswer, () => on.answer(c), {
        cls: 'ok',
        of: id,
        data: 'answer',
      })}
      ${btn(t.decline, 'hangup', c.canReject, () => on.hangup(c), { cls: 'no', of: id })}
    </div>
  </li>`;
}

/** The active call: who, state, a large timer, the actions; keypad and transfer open below. */
function active(c: CallSnapshot, i: number, m: PhoneModel, frozen: boolean) {
  const { t, on, s } = m;
  const id = `c${i}`;
  const of = id;
  const setup = c.direction === 'outgoing' && SETUP.has(c.state);
  const live = LIVE.has(c.state);
  const ok = (b: boolean) => b && !frozen;
  const moved = m.moved.get(c.id);
  const consult =
    m.consult?.to === c.id ? s!.calls.find((o) => o.id === m.consult!.from) : undefined;
  const open = m.transfer === c.id && c.canTransfer;
  const others = s!.calls.filter((o) => o !== c && LIVE.has(o.state));
  return html`<li part="call" class="card ${c.state}${frozen ? ' frozen' : ''}">
    ${
      consult
        ? html`<div part="consult" class="note">
          ${icon('transfer')}<span>${t.consulting(who(consult, t))}</span>
        </div>`
        : nothing
    }
    <div class="line">
      <span class="dot" aria-hidden="true"></span>
      <span part="state">${t.callState[c.state]}</span>
      ${quality(c, t)}
      ${setup || c.pending ? html`<progress part="progress" aria-label=${t.callState[c.state]}></progress>` : nothing}
    </div>
    ${identity(c, id, true, t)}
    ${moved ? html`<span part="transferred" class="chip">${t.transferredFrom(who({ farEnd: moved.from }, t))}</span>` : nothing}
    ${timer(c, m)}
    <div part="actions" class="grid">
      ${
        live || c.state === 'progressing'
          ? btn(
              c.muted ? t.unmute : t.mute,
              c.muted ? 'micOff' : 'mic',
              ok(c.canMute || c.canUnmute),
              () => on.mute(c),
              {
                cls: 'act mute',
                pressed: c.muted,
                of,
              },
            )
          : nothing
      }
      ${
        live
          ? btn(
              c.held ? t.resume : t.hold,
              c.held ? 'play' : 'pause',
              ok(c.canHold || c.canResume),
              () => on.hold(c),
              {
                cls: 'act hold',
                pressed: c.held,
                of,
              },
            )
          : nothing
      }
      ${
        !m.noDialpad && (live || c.state === 'progressing')
          ? btn(t.keypad, 'keypad', ok(c.canSendDigits), on.keypad, {
              cls: 'act',
              expanded: m.keypad,
              of,
            })
          : nothing
      }
      ${
        live && !consult
          ? btn(t.transfer, 'transfer', ok(c.canTransfer), () => on.transfer(c), {
              cls: 'act',
              expanded: open,
              of,
            })
          : nothing
      }
      ${
        live
          ? btn(t.addCall, 'phone', ok(s!.canCall), on.add, {
              cls: 'act',
              expanded: m.adding,
            })
          : nothing
      }
      ${
        s!.videoEnabled && c.state === 'connected'
          ? btn(t.video, 'video', ok(c.canAddVideo || c.canRemoveVideo), () => on.video(c), {
              cls: 'act',
              pressed: c.video,
              of,
            })
          : nothing
      }
    </div>
    ${m.keypad && c.canSendDigits && !frozen ? dialpad(m, true) : nothing}
    ${
      open
        ? html`<form part="transfer" @submit=${(e: SubmitEvent) => on.transferSubmit(e, c)}>
          <label
            >${t.transferNumber}
            <input part="input" name="target" type="tel" dir="ltr" autocomplete="off" required />
          </label>
          <div class="pair">
            <button part="button" class="p" value="blind">${icon('transfer')}<span>${t.transferNow}</span></button>
            <button part="button" value="consult">${icon('phone')}<span>${t.consultFirst}</span></button>
          </div>
          ${others.map((o) => btn(t.transferTo(who(o, t)), 'transfer', o.canHold || o.canResume, () => on.transferTo(c, o), { of }))}
        </form>`
        : nothing
    }
    ${
      consult
        ? html`<div class="pair">
          ${btn(t.completeTransfer, 'transfer', ok(c.state === 'connected' && consult.canTransfer), on.complete, { cls: 'p' })}
          ${btn(t.goBack, 'phone', ok(c.canHangup), on.goBack)}
        </div>`
        : nothing
    }
    ${btn(setup ? t.cancel : t.hangup, 'hangup', ok(c.canHangup), () => on.hangup(c), {
      cls: 'no end',
      of,
    })}
  </li>`;
}

/** Another call (held or waiting): one row, switch to it or hang it up. */
function other(c: CallSnapshot, i: number, m: PhoneModel, frozen: boolean) {
  const { t, on } = m;
  const id = `c${i}`;
  return html`<li part="call" class="row2 ${c.state}">
    <span class="dot" aria-hidden="true"></span>
    <div class="who">
      <strong part="name" id=${id}>${who(c, t)}</strong>
      <span class="mu"><span part="state">${t.callState[c.state]}</span> ${timer(c, m)}</span>
    </div>
    <div part="actions" class="row">
      ${btn(t.switchTo, 'transfer', !frozen && (c.canResume || c.canHold), () => on.swap(c), { compact: true, of: id })}
      ${btn(t.hangup, 'hangup', !frozen && c.canHangup, () => on.hangup(c), { compact: true, cls: 'no', of: id })}
    </div>
  </li>`;
}

function dialpad(m: PhoneModel, dtmf: boolean) {
  const { t, on } = m;
  return html`${dtmf ? html`<output class="digits" dir="ltr" aria-live="off">${m.digits}</output>` : nothing}
    <div part="dialpad" role="group" dir="ltr" aria-label=${t.dialpad} @keydown=${on.keydown}>
      ${KEYS.map(
        (k, i) =>
          html`<button part="dialpad__key" type="button" data-l=${LETTERS[i]!} @click=${() => on.key(k)}>${k}</button>`,
      )}
    </div>`;
}

function dialer(m: PhoneModel, s: View) {
  const { t, on } = m;
  return html`<form part="dial" @submit=${on.dial}>
    <div class="field">
      <label
        ><span class="sr">${t.number}</span>
        <input
          part="input"
          name="number"
          type="tel"
          dir="ltr"
          autocomplete="off"
          placeholder=${t.number}
          .value=${m.number}
          @input=${on.input}
        />
      </label>
      ${m.number ? btn(t.backspace, 'backspace', true, on.backspace, { compact: true, cls: 'ghost' }) : nothing}
    </div>
    ${m.noDialpad ? nothing : dialpad(m, false)}
    <div class="pair">
      <button part="button" class="ok" value="audio" ?disabled=${!s.canCall}>${icon('phone')}<span>${t.call}</span></button>
      ${
        s.videoEnabled
          ? html`<button part="button" value="video" ?disabled=${!s.canCall}>
            ${icon('video')}<span>${t.videoCall}</span>
          </button>`
          : nothing
      }
    </div>
  </form>`;
}

function login(m: PhoneModel, busy: boolean, usable: boolean) {
  const { t, on } = m;
  if (m.tokenSignIn)
    return html`<div part="login" class="pair" aria-busy=${busy}>
      ${btn(busy ? t.registration['logging-in'] : t.login, 'phone', !busy, on.signIn, { cls: 'p' })}
      ${busy ? html`<progress part="progress" aria-label=${t.registration['logging-in']}></progress>` : nothing}
    </div>`;
  return html`<form part="login" @submit=${on.login} aria-busy=${busy}>
    ${usable ? nothing : html`<p part="hint" class="note">${icon('alert')}<span>${t.noSessionHint}</span></p>`}
    <label
      >${t.user}
      <input part="input" name="user" autocomplete="username" required ?disabled=${!usable} .value=${m.user} />
    </label>
    <label
      >${t.password}
      <input part="input" name="password" type="password" autocomplete="current-password" required ?disabled=${!usable} />
    </label>
    <div class="pair">
      <button part="button" class="p" ?disabled=${!usable} aria-disabled=${busy}>
        ${busy ? t.registration['logging-in'] : t.login}
      </button>
      ${busy ? btn(t.cancel, 'close', true, on.cancelLogin) : nothing}
    </div>
    ${busy ? html`<progress part="progress" aria-label=${t.registration['logging-in']}></progress>` : nothing}
  </form>`;
}

function ended(e: EndedCall, m: PhoneModel) {
  const t = m.t;
  return html`<p part="ended" class="mu">
    ${m.outcome || html`${t.callEnded(who(e, t))}${e.reason ? html`: ${e.reason}` : nothing}`}
  </p>`;
}

export function renderPhone(m: PhoneModel): TemplateResult {
  const { t, s, on } = m;
  const reg = s?.registration.state ?? 'logged-out';
  const out = !s || s.canLogin || reg === 'logging-in';
  const frozen = reg === 'reconnecting' || reg === 'failing-over' || reg === 'failing-back';
  const calls = s?.calls ?? [];
  const ringing = calls.filter((c) => c.state === 'incoming');
  const rest = calls.filter((c) => c.state !== 'incoming');
  const main = rest.find((c) => c.id === s?.call?.id) ?? rest[0];
  const others = rest.filter((c) => c !== main);
  const err = s?.error;
  const endedShown =
    s?.lastEnded &&
    !calls.length &&
    (!out || LOST.has(err?.details?.problem ?? '')) &&
    (!err || err.callId !== s.lastEnded.id);
  return html`<div part="base" dir=${m.dir}>
    <div part="status" class=${reg}>
      <span class="dot" aria-hidden="true"></span>
      <span class="reg">${s ? t.registration[reg] : t.noSession}</span>
      ${s?.user && !out ? html`<span class="mu me" dir="ltr">${s.user}</span>` : nothing}
      ${out ? nothing : btn(t.logout, 'logout', true, on.logout, { cls: 'ghost', expanded: m.confirm, data: 'logout' })}
    </div>
    <div class="sr" role="status">${m.live}</div>
    ${
      m.confirm
        ? html`<div part="confirm" class="note warn">
          <span>${t.logoutConfirm(calls.length)}</span>
          <div class="pair">
            ${btn(t.logout, 'logout', true, on.logoutConfirmed, { cls: 'no' })}
            ${btn(t.cancel, 'close', true, on.logoutCancelled, { data: 'keep' })}
          </div>
        </div>`
        : nothing
    }
    ${
      err
        ? html`<div part="error" class="note bad">
          ${icon('alert')}<span>${errorText(t, err)}</span>
          ${err.details?.problem === 'in-use' && out ? btn(t.useHere, 'phone', reg !== 'logging-in', on.useHere, { cls: 'p' }) : nothing}
          ${btn(t.dismiss, 'close', true, on.dismiss, { compact: true, cls: 'ghost' })}
        </div>`
        : nothing
    }
    ${
      m.blocked
        ? html`<button part="sound" class="p" @click=${on.sound}>${icon('alert')}<span>${t.enableSound}</span></button>`
        : nothing
    }
    ${endedShown ? ended(s.lastEnded!, m) : nothing}
    ${
      out
        ? login(m, reg === 'logging-in', !!s)
        : html`${
            calls.length
              ? html`<ul part="calls" aria-label=${t.calls}>
                ${repeat(
                  [...ringing, ...(main ? [main] : []), ...others],
                  (c) => c.id,
                  (c) => {
                    const i = calls.indexOf(c);
                    return c.state === 'incoming'
                      ? incoming(c, i, m)
                      : c === main
                        ? active(c, i, m, frozen)
                        : other(c, i, m, frozen);
                  },
                )}
              </ul>`
              : nothing
          }
          ${main && !m.adding ? nothing : dialer(m, s)}`
    }
  </div>`;
}
