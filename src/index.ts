/** ipo-webrtc-kit: element classes (import `./all.js` to register them), events, core, context. */
export { IpoSessionElement } from './components/session/session.component.js';
export { IpoPhone } from './components/phone/phone.component.js';
export { IpoVideoPair } from './components/video-pair/video-pair.component.js';
export { IpoDeviceSelect } from './components/device-select/device-select.component.js';
export { IpoNetworkTest } from './components/network-test/network-test.component.js';
export { IpoCallButton } from './components/call-button/call-button.component.js';
export { IpoElement, VERSION } from './internal/ipo-element.js';
export * from './events/index.js';
export * from './i18n/index.js';
export * from './core/index.js';
export { sessionContext, type SessionHandle } from './context/session-context.js';
export {
  SessionStateController,
  type SessionHost,
} from './controllers/session-state-controller.js';
