import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rewriteDtmf, videoActive } from '../../src/sdk/sdp.js';

const sdp = (...lines: string[]) => lines.join('\r\n') + '\r\n';
const OFFER = sdp(
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  'a=group:BUNDLE 0 1',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'a=mid:0',
  'a=setup:actpass',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  'a=fmtp:126 0-15',
  'm=video 9 UDP/TLS/RTP/SAVPF 96 97',
  'a=mid:1',
  'a=setup:actpass',
  'a=recvonly',
  'a=rtpmap:96 VP8/90000',
  'a=rtpmap:97 rtx/90000',
);

describe('sdp: DTMF payload type rewrite (§7.4)', () => {
  it('renumbers telephone-event/8000 in the rtpmap, fmtp and m=audio list only', () => {
    const out = rewriteDtmf(OFFER, '101');
    assert.match(out, /m=audio 9 UDP\/TLS\/RTP\/SAVPF 111 63 9 0 8 13 110 101\r\n/);
    assert.match(out, /a=rtpmap:101 telephone-event\/8000/);
    assert.match(out, /a=fmtp:101 0-15/);
    assert.match(out, /a=rtpmap:110 telephone-event\/48000/);
    assert.equal(out.replace(/101/g, '126'), OFFER);
  });

  it('leaves the SDP alone when the payload type is taken by another codec, or already right', () => {
    assert.equal(rewriteDtmf(OFFER, '96'), OFFER);
    assert.equal(rewriteDtmf(OFFER, '126'), OFFER);
    assert.equal(
      rewriteDtmf(sdp('v=0', 'm=audio 9 RTP/AVP 0'), '101'),
      sdp('v=0', 'm=audio 9 RTP/AVP 0'),
    );
  });
});

describe('sdp: video', () => {
  it('is active only with a non-zero port and a direction other than inactive', () => {
    assert.equal(videoActive(OFFER), true);
    assert.equal(videoActive(OFFER.replace('a=recvonly', 'a=inactive')), false);
    assert.equal(videoActive(OFFER.replace('m=video 9', 'm=video 0')), false);
    assert.equal(videoActive(sdp('v=0', 'm=audio 9 RTP/AVP 0')), false);
  });
});
