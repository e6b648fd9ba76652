/**
 * demo/react.html: the kit in a React app through the `@lit/react` wrappers
 * (`ipo-webrtc-kit/react`, here imported from the source tree). Built by scripts/build-demos.mjs.
 *
 * Properties: `gateway` (from location.host, or ?gateway=host:port), `user` and `strings` come
 * from React state. Events: `onRegistrationChange`, `onCallStateChange`, `onCallEnded`,
 * `onIpoError` update React state, which the page renders (status, call state, event log).
 */
import { StrictMode, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { IpoPhone, IpoSession, IpoVideoPair } from '../../src/react/index.js';
import type {
  IpoCallEndedEvent,
  IpoCallStateChangeEvent,
  IpoErrorEvent,
  IpoRegistrationChangeEvent,
} from '../../src/events/index.js';

/** The gateway serves this page, so it is at this page's own host:port (?gateway= overrides). */
const gateway = new URLSearchParams(location.search).get('gateway') || location.host;

const PLAIN = { call: 'Dial', hangup: 'End call' };

function App() {
  const [user, setUser] = useState('201');
  const [plain, setPlain] = useState(false);
  const [registration, setRegistration] = useState('logged-out');
  const [callState, setCallState] = useState('none');
  const [events, setEvents] = useState<string[]>([]);
  const log = useCallback((line: string) => setEvents((e) => [...e.slice(-49), line]), []);

  return (
    <div className="framework">
      <IpoSession gateway={gateway}>
        <IpoPhone
          user={user}
          strings={plain ? PLAIN : undefined}
          onRegistrationChange={(e: IpoRegistrationChangeEvent) => {
            setRegistration(e.state);
            log(`ipo-registration-change ${e.previous} → ${e.state}`);
          }}
          onCallStateChange={(e: IpoCallStateChangeEvent) => {
            setCallState(e.state);
            log(
              `ipo-call-state-change ${e.call.farEnd.number || '?'} ${e.previous ?? 'new'} → ${e.state}`,
            );
          }}
          onCallEnded={(e: IpoCallEndedEvent) => {
            setCallState('ended');
            log(`ipo-call-ended ${e.call.reason}`);
          }}
          onIpoError={(e: IpoErrorEvent) => log(`ipo-error ${e.error.code}: ${e.error.message}`)}
        />
        <IpoVideoPair />
      </IpoSession>
      <div>
        <fieldset>
          <legend>Properties (React state)</legend>
          <div>
            Gateway: <code id="gateway">{gateway}</code>
          </div>
          <label>
            Extension for the phone's <code>user</code>
            <input id="user" value={user} onChange={(e) => setUser(e.target.value)} />
          </label>
          <label className="inline">
            <input
              id="plain"
              type="checkbox"
              checked={plain}
              onChange={(e) => setPlain(e.target.checked)}
            />
            <span>
              Plain words (<code>strings</code> override)
            </span>
          </label>
        </fieldset>
        <fieldset>
          <legend>Events (React state)</legend>
          <div>
            Registration: <output id="registration">{registration}</output>
          </div>
          <div>
            Call: <output id="call-state">{callState}</output>
          </div>
          <ol id="events" className="events">
            {events.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </fieldset>
      </div>
    </div>
  );
}

createRoot(document.getElementById('app')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
