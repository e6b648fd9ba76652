import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { a11ySnapshot, findAccessibilityNode, sendKeys } from '@web/test-runner-commands';
import '../../all.js';
import { IpoError } from '../../core/errors.js';
import type { DeviceInfo, Devices } from '../../core/snapshot.js';
import { buttons, field, part, parts, until } from '../../internal/testing/dom.js';
import { FakeSession } from '../../internal/testing/fake-session.js';
import type { IpoPhone } from '../phone/phone.component.js';
import type { IpoSessionElement } from '../session/session.component.js';
import { IpoDeviceSelect } from './device-select.component.js';

type AxNode = { role: string; name: string; children: AxNode[] };
const KEY = 'ipo-webrtc-kit:devices';

const dev = (kind: DeviceInfo['kind'], id: string, label: string): DeviceInfo => ({
  kind,
  id,
  label,
});
const LIST: Devices = {
  loaded: true,
  audioInput: [
    dev('audioinput', 'default', 'Default'),
    dev('audioinput', 'm1', 'Mic 1'),
    dev('audioinput', 'm2', 'Mic 2'),
  ],
  videoInput: [dev('videoinput', 'v1', 'Cam 1')],
  audioOutput: [dev('audiooutput', 'o1', 'Speaker 1'), dev('audiooutput', 'o2', 'Speaker 2')],
  selected: { audioInput: '', videoInput: '', audioOutput: '' },
};

const on = <K extends keyof HTMLElementEventMap>(el: Element, type: K) =>
  oneEvent(el, type) as unknown as Promise<HTMLElementEventMap[K]>;

async function picker(
  fake: FakeSession,
  attrs: { noRemember?: boolean } = {},
): Promise<IpoDeviceSelect> {
  const el = await fixture<IpoDeviceSelect>(
    html`<ipo-device-select ?no-remember=${attrs.noRemember} .session=${fake}></ipo-device-select>`,
  );
  await until(() => el.matches(':state(loaded)') || !fake.deviceList.loaded, 'devices');
  await el.updateComplete;
  return el;
}

const options = (select: HTMLSelectElement) =>
  [...select.options].map((o) => o.textContent!.trim());

describe('<ipo-device-select>', () => {
  beforeEach(() => localStorage.removeItem(KEY));

  describe('element', () => {
    it('upgrades: createElement gives the class', () => {
      expect(document.createElement('ipo-device-select')).to.be.instanceOf(IpoDeviceSelect);
    });

    it('has documented defaults', () => {
      const el = document.createElement('ipo-device-select');
      expect([el.session, el.noCamera, el.noSpeaker, el.noRemember, el.audioInput]).to.deep.equal([
        null,
        false,
        false,
        false,
        '',
      ]);
    });

    it('maps attributes to properties', async () => {
      const el = await fixture<IpoDeviceSelect>(
        html`<ipo-device-select no-camera no-speaker no-remember></ipo-device-select>`,
      );
      expect([el.noCamera, el.noSpeaker, el.noRemember]).to.deep.equal([true, true, true]);
      expect(() => field(el, 'Camera')).to.throw();
      expect(buttons(el, 'Test speaker')).to.have.length(0);
    });
  });

  describe('with devices', () => {
    let fake: FakeSession;
    beforeEach(() => {
      fake = new FakeSession();
      fake.deviceList = LIST;
    });

    it('asks the session for devices and lists them with real labels, and is accessible', async () => {
      const el = await picker(fake);
      expect(fake.actions[0]).to.deep.equal(['refreshDevices']);
      expect(options(field<HTMLSelectElement>(el, 'Microphone'))).to.deep.equal([
        'System default',
        'Mic 1',
        'Mic 2',
      ]);
      expect(options(field<HTMLSelectElement>(el, 'Camera'))).to.deep.equal([
        'System default',
        'Cam 1',
      ]);
      expect(options(field<HTMLSelectElement>(el, 'Speaker'))).to.deep.equal([
        'System default',
        'Speaker 1',
        'Speaker 2',
      ]);
      expect(buttons(el, 'Show device names')).to.have.length(0);
      await expect(el).to.be.accessible();
      const tree = (await a11ySnapshot({})) as unknown as AxNode;
      for (const name of ['Microphone', 'Camera', 'Speaker'])
        expect(
          findAccessibilityNode(tree, (n) => n.role === 'combobox' && n.name === name),
          name,
        ).to.be.ok;
    });

    it('a keyboard choice switches the device, re-dispatches change and is remembered', async () => {
      const el = await picker(fake);
      field<HTMLSelectElement>(el, 'Microphone').focus();
      const change = on(el, 'change');
      await sendKeys({ press: 'ArrowDown' });
      const e = await change;
      expect(e.bubbles).to.equal(true);
      expect(fake.actions[1]).to.deep.equal(['selectDevices', { audioInput: 'm1' }]);
      expect(el.audioInput).to.equal('m1');
      expect(JSON.parse(localStorage.getItem(KEY)!)).to.deep.equal({
        audioInput: 'm1',
        videoInput: '',
        audioOutput: '',
      });
    });

    it('restores the remembered choice of devices that are still there', async () => {
      localStorage.setItem(
        KEY,
        JSON.stringify({ audioInput: 'm2', videoInput: 'gone', audioOutput: 'o2' }),
      );
      const el = await picker(fake);
      await until(() => fake.actions.length > 1, 'the restore');
      expect(fake.actions[1]).to.deep.equal([
        'selectDevices',
        { audioInput: 'm2', audioOutput: 'o2' },
      ]);
      await el.updateComplete;
      expect(field<HTMLSelectElement>(el, 'Microphone').value).to.equal('m2');
      expect([el.audioOutput, el.videoInput]).to.deep.equal(['o2', '']);
    });

    it('no-remember neither restores nor stores', async () => {
      localStorage.setItem(KEY, JSON.stringify({ audioInput: 'm2' }));
      const el = await picker(fake, { noRemember: true });
      const select = field<HTMLSelectElement>(el, 'Camera');
      select.value = 'v1';
      select.dispatchEvent(new Event('change'));
      await on(el, 'change');
      expect(fake.actions.map((a) => a[0])).to.deep.equal(['refreshDevices', 'selectDevices']);
      expect(localStorage.getItem(KEY)).to.equal(JSON.stringify({ audioInput: 'm2' }));
    });

    it('a failed switch fires ipo-error and shows the previous choice again', async () => {
      const el = await picker(fake);
      fake.failWith = new IpoError('media-failed', 'The device could not be switched.');
      const select = field<HTMLSelectElement>(el, 'Speaker');
      select.value = 'o2';
      const error = on(el, 'ipo-error');
      select.dispatchEvent(new Event('change'));
      expect((await error).error.code).to.equal('media-failed');
      expect(select.value).to.equal('');
    });

    it('follows the session when the device list changes (devicechange)', async () => {
      const el = await picker(fake);
      fake.update({ devices: { ...LIST, audioInput: [LIST.audioInput[1]!] } });
      await el.updateComplete;
      expect(options(field<HTMLSelectElement>(el, 'Microphone'))).to.deep.equal([
        'System default',
        'Mic 1',
      ]);
    });

    it('plays a speaker test tone', async () => {
      const el = await picker(fake);
      part(el, 'test')!.click();
      await el.testSpeaker();
    });
  });

  describe('other states', () => {
    it('before the list arrives: only "System default", accessible', async () => {
      const fake = new FakeSession();
      const el = await picker(fake);
      expect(el.matches(':state(loaded)')).to.equal(false);
      expect(options(field<HTMLSelectElement>(el, 'Microphone'))).to.deep.equal(['System default']);
      expect(() => field(el, 'Speaker'), 'no outputs listed: no speaker choice').to.throw();
      await expect(el).to.be.accessible();
    });

    it('without device names: numbered names and a "Show device names" button, accessible', async () => {
      const fake = new FakeSession();
      fake.deviceList = {
        ...LIST,
        audioInput: [dev('audioinput', 'm1', ''), dev('audioinput', 'm2', '')],
      };
      const el = await picker(fake);
      expect(options(field<HTMLSelectElement>(el, 'Microphone'))).to.deep.equal([
        'System default',
        'Microphone 1',
        'Microphone 2',
      ]);
      expect(part(el, 'permission')).to.exist;
      await expect(el).to.be.accessible();
      part(el, 'permission')!.click();
      await until(
        () => fake.actions.filter((a) => a[0] === 'refreshDevices').length === 2,
        'a refresh',
      );
    });

    it('`strings` overrides its labels', async () => {
      const el = await picker(new FakeSession());
      el.strings = { microphone: 'Mikrofon' };
      await el.updateComplete;
      expect(parts(el, 'field')[0]!.textContent!.trim()).to.match(/^Mikrofon/);
    });
  });
});

describe('<ipo-device-select> end to end (real SDK, dev gateway)', function () {
  this.timeout(60_000);

  it('lists the fake devices and switches the microphone during a call without dropping it', async () => {
    const info = (await (await fetch('/__gateway.json')).json()) as {
      host: string;
      password: string;
    };
    const replaced: (MediaStreamTrack | null)[] = [];
    const replaceTrack = RTCRtpSender.prototype.replaceTrack;
    RTCRtpSender.prototype.replaceTrack = function (track) {
      replaced.push(track);
      return replaceTrack.call(this, track);
    };
    const root = await fixture(html`<div>
      <ipo-session id="a" gateway=${info.host} no-resiliency>
        <ipo-phone no-ringtone></ipo-phone><ipo-device-select no-remember></ipo-device-select>
      </ipo-session>
      <ipo-session id="b" gateway=${info.host} no-resiliency><ipo-phone no-ringtone></ipo-phone></ipo-session>
    </div>`);
    const [a, b] = ['#a', '#b'].map((id) => root.querySelector<IpoSessionElement>(id)!);
    const [phoneA, phoneB] = [a, b].map((s) => s!.querySelector<IpoPhone>('ipo-phone')!);
    const picker = a!.querySelector<IpoDeviceSelect>('ipo-device-select')!;
    try {
      await navigator.mediaDevices
        .getUserMedia({ audio: true })
        .then((s) => s.getTracks().forEach((t) => t.stop()));
      await phoneA!.login('205', info.password);
      await phoneB!.login('206', info.password);
      const select = field<HTMLSelectElement>(picker, 'Microphone');
      await until(
        () => options(select).includes('Fake Audio Input 2'),
        'the fake microphones',
        10_000,
      );
      await phoneA!.call('206');
      await until(() => phoneB!.matches(':state(ringing)'), 'ringing');
      await phoneB!.answer();
      await until(() => phoneA!.matches(':state(in-call)'), 'connected');

      select.value = [...select.options].find(
        (o) => o.textContent!.trim() === 'Fake Audio Input 2',
      )!.value;
      const change = on(picker, 'change');
      select.dispatchEvent(new Event('change'));
      await change;
      const track = await until(
        () => replaced.find((t) => t?.kind === 'audio' && t.label === 'Fake Audio Input 2'),
        'the call to send the new microphone',
      );
      expect(track!.readyState).to.equal('live');
      await new Promise((r) => setTimeout(r, 500));
      expect(
        phoneA!.matches(':state(in-call)') && phoneB!.matches(':state(in-call)'),
        'call kept',
      ).to.equal(true);
      await expect(picker).to.be.accessible();
      await phoneA!.hangup();
    } finally {
      RTCRtpSender.prototype.replaceTrack = replaceTrack;
      await Promise.allSettled([phoneA!.logout(), phoneB!.logout()]);
    }
  });
});
