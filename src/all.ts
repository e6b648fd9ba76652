/** Registers every element (the CDN bundle's entry). */
import './components/session/ipo-session.js';
import './components/phone/ipo-phone.js';
import './components/video-pair/ipo-video-pair.js';
import './components/device-select/ipo-device-select.js';
import './components/network-test/ipo-network-test.js';
import './components/call-button/ipo-call-button.js';

export * from './index.js';
