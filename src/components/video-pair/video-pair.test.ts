import { expect, fixture, html } from '@open-wc/testing';
import { a11ySnapshot, findAccessibilityNode } from '@web/test-runner-commands';
import '../../all.js';
import type { IpoPhone } from '../phone/phone.component.js';
import type { IpoSessionElement } from '../session/session.component.js';
import { button, part, until } from '../../internal/testing/dom.js';
import { FakeSession } from '../../internal/testing/fake-session.js';
import { IpoVideoPair } from './video-pair.component.js';

type AxNode = { role: string; name: string; children: AxNode[] };
const BOB = { number: '202', name: 'Bob Dalton', subject: '', sipUri: '' };
const CAROL = { number: '203', name: 'Carol Evans', subject: '', sipUri: '' };

/** A live video stream from a canvas (no camera needed). */
function stream(): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.getContext('2d')!.fillRect(0, 0, 10, 10);
  return canvas.captureStream(5);
}

const video = (el: IpoVideoPair, name: 'remote-video' | 'local-video') =>
  part<HTMLVideoElement>(el, name)!;

async function pair(fake: FakeSession, attrs = ''): Promise<IpoVideoPair> {
  const el = await fixture<IpoVideoPair>(html`<ipo-video-pair .session=${fake}></ipo-video-pair>`);
  if (attrs) el.setAttribute('call-id', attrs);
  await el.updateComplete;
  return el;
}

describe('<ipo-video-pair>', () => {
  describe('element', () => {
    it('upgrades: createElement gives the class', () => {
      expect(document.createElement('ipo-video-pair')).to.be.instanceOf(IpoVideoPair);
    });

    it('has documented defaults', () => {
      const el = document.createElement('ipo-video-pair');
      expect([el.session, el.callId, el.layout]).to.deep.equal([null, '', 'side']);
    });

    it('maps attributes to properties and reflects layout', async () => {
      const el = await fixture<IpoVideoPair>(
        html`<ipo-video-pair call-id="c9" layout="pip"></ipo-video-pair>`,
      );
      expect([el.callId, el.layout]).to.deep.equal(['c9', 'pip']);
      el.layout = 'side';
      await el.updateComplete;
      expect(el.getAttribute('layout')).to.equal('side');
    });

    it('an unknown layout warns once and falls back to side', async () => {
      const seen: string[] = [];
      const original = console.warn;
      console.warn = (...a: unknown[]) => void seen.push(a.join(' '));
      try {
        const el = await fixture<IpoVideoPair>(
          html`<ipo-video-pair layout="grid"></ipo-video-pair>`,
        );
        await el.updateComplete;
        expect(el.layout).to.equal('side');
      } finally {
        console.warn = original;
      }
      expect(seen).to.have.length(1);
      expect(seen[0]).to.contain('layout "grid"');
    });
  });

  describe('states', () => {
    let fake: FakeSession;
    beforeEach(() => {
      fake = new FakeSession({ videoEnabled: true });
      fake.register('logged-in');
    });

    it('no call: a "No video" poster, no video shown, accessible', async () => {
      const el = await pair(fake);
      expect(part(el, 'poster')!.textContent).to.equal('No video');
      expect(video(el, 'remote-video').hidden).to.equal(true);
      expect(el.matches(':state(call)')).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('an audio call: the poster names the far end', async () => {
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, connectedAt: Date.now() });
      const el = await pair(fake);
      expect(part(el, 'poster')!.textContent).to.equal('Bob Dalton');
      expect(el.matches(':state(call)')).to.equal(true);
      expect(el.matches(':state(video)')).to.equal(false);
      await expect(el).to.be.accessible();
      const tree = (await a11ySnapshot({})) as unknown as AxNode;
      expect(findAccessibilityNode(tree, (n) => n.role === 'StaticText' && n.name === 'Bob Dalton'))
        .to.be.ok;
    });

    it('a video call: both videos, named, local muted + playsinline + mirrored, accessible', async () => {
      const [local, remote] = [stream(), stream()];
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, video: true, connectedAt: 1 });
      fake.update({ streams: { c1: { local, remote, video: true } } });
      const el = await pair(fake);
      const [r, l] = [video(el, 'remote-video'), video(el, 'local-video')];
      expect(el.matches(':state(video)')).to.equal(true);
      expect([r.srcObject, l.srcObject]).to.deep.equal([remote, local]);
      expect([r.hidden, l.hidden, part(el, 'poster')!.hidden]).to.deep.equal([false, false, true]);
      expect([l.muted, l.hasAttribute('playsinline'), r.muted]).to.deep.equal([true, true, true]);
      expect(getComputedStyle(l).transform).to.equal('matrix(-1, 0, 0, 1, 0, 0)');
      expect([r.getAttribute('aria-label'), l.getAttribute('aria-label')]).to.deep.equal([
        'Video of Bob Dalton',
        'Your camera',
      ]);
      await until(() => !r.paused && r.videoWidth > 0, 'the remote video to play');
      await expect(el).to.be.accessible();
    });

    it('pip layout puts your camera over the far end', async () => {
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, video: true, connectedAt: 1 });
      fake.update({ streams: { c1: { local: stream(), remote: stream(), video: true } } });
      const el = await pair(fake);
      el.layout = 'pip';
      await el.updateComplete;
      expect(getComputedStyle(video(el, 'local-video')).position).to.equal('absolute');
      await expect(el).to.be.accessible();
    });

    it('follows the active call, or stays on `call-id`', async () => {
      const [s1, s2] = [stream(), stream()];
      fake.putCall({ id: 'c1', state: 'held', farEnd: BOB, video: true, connectedAt: 1 });
      fake.putCall({ id: 'c2', state: 'connected', farEnd: CAROL, video: true, connectedAt: 1 });
      fake.update({
        streams: {
          c1: { local: s1, remote: s1, video: true },
          c2: { local: s2, remote: s2, video: true },
        },
      });
      const el = await pair(fake);
      expect(video(el, 'remote-video').srcObject).to.equal(s1);
      fake.setActiveCall('c2');
      await el.updateComplete;
      expect(video(el, 'remote-video').srcObject).to.equal(s2);
      expect(video(el, 'remote-video').getAttribute('aria-label')).to.equal('Video of Carol Evans');
      el.callId = 'c1';
      await el.updateComplete;
      expect(video(el, 'remote-video').srcObject).to.equal(s1);
    });

    it('removing video shows the poster again', async () => {
      fake.putCall({ id: 'c1', state: 'connected', farEnd: BOB, video: true, connectedAt: 1 });
      fake.update({ streams: { c1: { local: stream(), remote: stream(), video: true } } });
      const el = await pair(fake);
      fake.putCall({ id: 'c1', video: false });
      await el.updateComplete;
      expect(part(el, 'poster')!.hidden).to.equal(false);
      expect(video(el, 'remote-video').srcObject).to.equal(null);
    });

    it('`strings` overrides its labels', async () => {
      const el = await pair(fake);
      el.strings = { noVideo: 'Kein Video' };
      await el.updateComplete;
      expect(part(el, 'poster')!.textContent).to.equal('Kein Video');
    });
  });
});

describe('<ipo-video-pair> end to end (real SDK, dev gateway)', function () {
  this.timeout(60_000);

  it('shows the far end’s camera once a video call is answered', async () => {
    const info = (await (await fetch('/__gateway.json')).json()) as {
      host: string;
      password: string;
    };
    const root = await fixture(html`<div>
      <ipo-session id="a" gateway=${info.host} video no-resiliency>
        <ipo-phone no-ringtone></ipo-phone><ipo-video-pair></ipo-video-pair>
      </ipo-session>
      <ipo-session id="b" gateway=${info.host} video no-resiliency>
        <ipo-phone no-ringtone></ipo-phone><ipo-video-pair layout="pip"></ipo-video-pair>
      </ipo-session>
    </div>`);
    const [a, b] = ['#a', '#b'].map((id) => root.querySelector<IpoSessionElement>(id)!);
    const [phoneA, phoneB] = [a, b].map((s) => s!.querySelector<IpoPhone>('ipo-phone')!);
    const pairB = b!.querySelector<IpoVideoPair>('ipo-video-pair')!;
    try {
      await phoneA!.login('203', info.password);
      await phoneB!.login('204', info.password);
      await phoneA!.call('204', true);
      await until(() => phoneB!.matches(':state(ringing)'), 'ringing');
      button(phoneB!, 'Answer').click();
      await until(() => pairB.matches(':state(video)'), 'video on the answering side');
      const remote = video(pairB, 'remote-video');
      await until(() => !remote.paused && remote.videoWidth > 0, 'remote video to play', 20_000);
      await expect(pairB).to.be.accessible();
      await phoneA!.hangup();
      await until(() => !pairB.matches(':state(call)'), 'the pair to empty');
      expect(part(pairB, 'poster')!.hidden).to.equal(false);
    } finally {
      await Promise.allSettled([phoneA!.logout(), phoneB!.logout()]);
    }
  });
});
