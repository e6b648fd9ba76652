/**
 * React wrappers for the kit's elements (`ipo-webrtc-kit/react`), made with `@lit/react`.
 *
 * A separate entry so the core kit stays React-free: only code that imports this module pulls in
 * React (a peer dependency) and `@lit/react`. Importing it also registers the elements.
 *
 * Properties (`gateway`, `user`, `strings`, `session`, …) are set as element properties; the
 * typed `ipo-*` events are mapped to `onXxx` props:
 *
 * ```tsx
 * <IpoSession gateway={host}>
 *   <IpoPhone user="201" strings={{ call: 'Dial' }} onRegistrationChange={(e) => setStatus(e.state)} />
 * </IpoSession>
 * ```
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { IpoSessionElement } from '../components/session/session.component.js';
import { IpoPhone as IpoPhoneElement } from '../components/phone/phone.component.js';
import { IpoVideoPair as IpoVideoPairElement } from '../components/video-pair/video-pair.component.js';
import { IpoDeviceSelect as IpoDeviceSelectElement } from '../components/device-select/device-select.component.js';
import '../components/session/ipo-session.js';
import '../components/phone/ipo-phone.js';
import '../components/video-pair/ipo-video-pair.js';
import '../components/device-select/ipo-device-select.js';
import type {
  IpoCallEndedEvent,
  IpoCallRequestEvent,
  IpoCallStateChangeEvent,
  IpoErrorEvent,
  IpoHangupRequestEvent,
  IpoIncomingCallEvent,
  IpoRegistrationChangeEvent,
} from '../events/index.js';

/** `<ipo-session>`: the provider; children share its session. No events of its own. */
export const IpoSession = createComponent({
  tagName: 'ipo-session',
  elementClass: IpoSessionElement,
  react: React,
});

/** `<ipo-phone>` with its `ipo-*` events as `onRegistrationChange`, `onIncomingCall`, … */
export const IpoPhone = createComponent({
  tagName: 'ipo-phone',
  elementClass: IpoPhoneElement,
  react: React,
  events: {
    onRegistrationChange: 'ipo-registration-change' as EventName<IpoRegistrationChangeEvent>,
    onIncomingCall: 'ipo-incoming-call' as EventName<IpoIncomingCallEvent>,
    onCallStateChange: 'ipo-call-state-change' as EventName<IpoCallStateChangeEvent>,
    onCallEnded: 'ipo-call-ended' as EventName<IpoCallEndedEvent>,
    onCallRequest: 'ipo-call-request' as EventName<IpoCallRequestEvent>,
    onHangupRequest: 'ipo-hangup-request' as EventName<IpoHangupRequestEvent>,
    onIpoError: 'ipo-error' as EventName<IpoErrorEvent>,
  },
});

/** `<ipo-video-pair>`: local and remote video of the active call (or `callId`). */
export const IpoVideoPair = createComponent({
  tagName: 'ipo-video-pair',
  elementClass: IpoVideoPairElement,
  react: React,
});

/** `<ipo-device-select>` with `onIpoError` (a device could not be switched) and `onChange`. */
export const IpoDeviceSelect = createComponent({
  tagName: 'ipo-device-select',
  elementClass: IpoDeviceSelectElement,
  react: React,
  events: {
    onIpoError: 'ipo-error' as EventName<IpoErrorEvent>,
    onChange: 'change',
  },
});
