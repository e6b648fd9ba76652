/**
 * One tab of the sharing tests (loaded in a same-origin iframe, as a tab of the same browser
 * context): `<ipo-session shared gateway token-url?><ipo-phone>` from the query string. Every
 * peer connection the page makes is recorded in `window.pcs`, for standard getStats() probes.
 */
import '../../../src/all.js';

const q = new URLSearchParams(location.search);
const pcs: RTCPeerConnection[] = [];
const Native = window.RTCPeerConnection;
window.RTCPeerConnection = class extends Native {
  constructor(config?: RTCConfiguration) {
    super(config);
    pcs.push(this);
  }
};
(window as unknown as { pcs: RTCPeerConnection[] }).pcs = pcs;
const session = document.createElement('ipo-session');
session.setAttribute('gateway', q.get('gateway') ?? '');
const tokenUrl = q.get('tokenUrl');
if (tokenUrl) session.setAttribute('token-url', tokenUrl); // none: the first tab logs in by password
session.toggleAttribute('shared', true);
session.append(document.createElement('ipo-phone'));
document.body.append(session);
