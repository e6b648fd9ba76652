// Injected by bench/kit-bench.ts into demo pages served by the dev gateway (before any page
// script, via evaluateOnNewDocument, so the page's own CSP does not apply to it). Plain browser
// JavaScript, kept out of TypeScript so the transpiler adds no helpers to it.
(() => {
  const kitUrl = '/dist/ipo-webrtc-kit.js';

  // --- time from script load to an interactive <ipo-phone> -----------------------------------
  // Interactive: the login form is rendered with its inputs and button enabled (the phone has a
  // session), i.e. a user can type and sign in.
  const interactive = (phone) => {
    const root = phone.shadowRoot;
    const form = root && root.querySelector('form[part="login"]');
    if (!form) return false;
    const user = form.querySelector('input[name="user"]');
    const button = form.querySelector('button');
    return !!user && !user.disabled && !!button && !button.disabled;
  };
  window.benchInteractive = new Promise((resolve) => {
    const done = () => {
      const t = performance.now();
      const res = performance.getEntriesByType('resource').find((e) => e.name.endsWith(kitUrl));
      resolve({
        interactiveAt: t,
        scriptRequestStart: res ? res.startTime : NaN,
        scriptResponseEnd: res ? res.responseEnd : NaN,
        transferSize: res ? res.transferSize : NaN,
      });
    };
    const watch = () => {
      customElements.whenDefined('ipo-phone').then(() => {
        const phone = document.querySelector('ipo-phone');
        if (interactive(phone)) return done();
        const attach = () => {
          if (!phone.shadowRoot) return requestAnimationFrame(attach);
          if (interactive(phone)) return done();
          const obs = new MutationObserver(() => {
            if (interactive(phone)) {
              obs.disconnect();
              done();
            }
          });
          obs.observe(phone.shadowRoot, { subtree: true, childList: true, attributes: true });
        };
        attach();
      });
    };
    if (document.readyState === 'loading')
      document.addEventListener('DOMContentLoaded', watch, { once: true });
    else watch();
  });

  // --- <ipo-phone> re-renders during a call ---------------------------------------------------
  window.benchRenderCounter = () => {
    const proto = customElements.get('ipo-phone').prototype;
    const counter = { updates: 0, mutations: 0, timerMutations: 0, changes: 0, statsPolls: 0 };
    const original = proto.updated;
    proto.updated = function (changed) {
      counter.updates++;
      return original.call(this, changed);
    };
    const phone = document.querySelector('ipo-phone');
    const obs = new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        if (el && el.closest && el.closest('[part="timer"]')) counter.timerMutations++;
        else counter.mutations++;
      }
    });
    obs.observe(phone.shadowRoot, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
    const session = document.querySelector('ipo-session').session;
    const onChange = () => counter.changes++;
    session.addEventListener('change', onChange);
    counter.stop = () => {
      proto.updated = original;
      obs.disconnect();
      session.removeEventListener('change', onChange);
      const { stop, ...plain } = counter;
      return plain;
    };
    return counter;
  };

  window.benchUse = async (host, user, password) => {
    const el = document.querySelector('ipo-session');
    el.setAttribute('gateway', host);
    await el.updateComplete;
    const phone = document.querySelector('ipo-phone');
    await phone.updateComplete;
    await phone.login(user, password);
  };

  /** Calls `target`, waits until connected, then counts re-renders over `ms` while polling stats every `pollMs`. */
  window.benchCallRenders = async (target, ms, pollMs) => {
    const el = document.querySelector('ipo-session');
    const session = el.session;
    const phone = document.querySelector('ipo-phone');
    const connected = new Promise((resolve) => {
      const check = () => {
        const call = session.snapshot.calls.find((c) => c.state === 'connected');
        if (call) {
          session.removeEventListener('change', check);
          resolve(call);
        }
      };
      session.addEventListener('change', check);
      check();
    });
    await phone.call(target);
    const call = await connected;
    const counter = window.benchRenderCounter();
    const poll = setInterval(() => {
      counter.statsPolls++;
      session.getStats(call.id).catch(() => undefined);
    }, pollMs);
    await new Promise((r) => setTimeout(r, ms));
    clearInterval(poll);
    const result = counter.stop();
    const still = session.snapshot.calls.some((c) => c.id === call.id && c.state === 'connected');
    const timer = phone.shadowRoot.querySelector('[part="timer"]');
    const timerText = timer ? timer.textContent : null;
    // control: one user-visible change (mute) must be counted, or the counter proves nothing
    const control = window.benchRenderCounter();
    await session.mute(call.id);
    await phone.updateComplete;
    const controlUpdates = control.stop().updates;
    await phone.hangup(call.id);
    return { ...result, stillConnected: still, timerText, controlUpdatesOnMute: controlUpdates };
  };

  window.benchAnswerAll = () => {
    const session = document.querySelector('ipo-session').session;
    const phone = document.querySelector('ipo-phone');
    session.addEventListener('change', () => {
      const call = session.snapshot.calls.find((c) => c.state === 'incoming' && c.canAnswer);
      if (call && !call.pending) phone.answer(call.id).catch(() => undefined);
    });
  };
})();
