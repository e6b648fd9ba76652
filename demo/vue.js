/**
 * demo/vue.html: the kit in a Vue 3 app. Built by scripts/build-demos.mjs into
 * dist/demos/vue.js with Vue's runtime-only build; the template (demo/vue/app.html) is compiled
 * to a render function at build time with `isCustomElement: (tag) => tag.startsWith('ipo-')`,
 * so the page needs neither the template compiler nor eval (the gateway's CSP forbids both).
 *
 * Properties: `gateway` (location.host, or ?gateway=host:port), `user`, `strings` from reactive
 * state. Events: ipo-registration-change, ipo-call-state-change, ipo-call-ended, ipo-error update
 * the state the template renders.
 */
import { createApp, defineComponent, ref } from 'vue';
import '../src/all.js';
import { render } from './vue/app.html';

/** The gateway serves this page, so it is at this page's own host:port (?gateway= overrides). */
const gateway = new URLSearchParams(location.search).get('gateway') || location.host;

const App = defineComponent({
  setup() {
    const user = ref('201');
    const plain = ref(false);
    const registration = ref('logged-out');
    const callState = ref('none');
    const events = ref([]);
    const log = (line) => (events.value = [...events.value.slice(-49), line]);
    return {
      gateway,
      user,
      plain,
      plainStrings: { call: 'Dial', hangup: 'End call' },
      registration,
      callState,
      events,
      onRegistration(e) {
        registration.value = e.state;
        log(`ipo-registration-change ${e.previous} → ${e.state}`);
      },
      onCallState(e) {
        callState.value = e.state;
        log(
          `ipo-call-state-change ${e.call.farEnd.number || '?'} ${e.previous ?? 'new'} → ${e.state}`,
        );
      },
      onCallEnded(e) {
        callState.value = 'ended';
        log(`ipo-call-ended ${e.call.reason}`);
      },
      onError(e) {
        log(`ipo-error ${e.error.code}: ${e.error.message}`);
      },
    };
  },
  render,
});

createApp(App).mount('#app');
