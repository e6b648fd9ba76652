/**
 * The Angular demo's one standalone component. `CUSTOM_ELEMENTS_SCHEMA` lets the template use the
 * kit's `ipo-*` elements: `[gateway]`, `[user]`, `[strings]` set element properties from component
 * signals; `(ipo-…)` bindings listen to the kit's events and update signals the template renders.
 * Compiled ahead of time (ngc) by scripts/build-demos.mjs, so the page runs without the Angular
 * compiler and without eval.
 */
import { ChangeDetectionStrategy, Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';

/** The parts of the kit's event classes this component reads (the kit is loaded as a script). */
interface RegistrationChange extends Event { state: string; previous: string }
interface CallStateChange extends Event { state: string; previous: string | null; call: { farEnd: { number: string } } }
interface CallEnded extends Event { call: { reason: string } }
interface IpoErrorEvent extends Event { error: { code: string; message: string } }

@Component({
  selector: 'ipo-angular-demo',
  standalone: true,
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="framework">
      <ipo-session [gateway]="gateway">
        <ipo-phone
          [user]="user()"
          [strings]="plain() ? plainStrings : undefined"
          (ipo-registration-change)="onRegistration($any($event))"
          (ipo-call-state-change)="onCallState($any($event))"
          (ipo-call-ended)="onCallEnded($any($event))"
          (ipo-error)="onError($any($event))"
        ></ipo-phone>
        <ipo-video-pair></ipo-video-pair>
      </ipo-session>
      <div>
        <fieldset>
          <legend>Properties (Angular signals)</legend>
          <div>Gateway: <code id="gateway">{{ gateway }}</code></div>
          <label>
            Extension for the phone's <code>user</code>
            <input id="user" [value]="user()" (input)="user.set($any($event.target).value)" />
          </label>
          <label class="inline">
            <input id="plain" type="checkbox" [checked]="plain()" (change)="plain.set($any($event.target).checked)" />
            <span>Plain words (<code>strings</code> override)</span>
          </label>
        </fieldset>
        <fieldset>
          <legend>Events (Angular signals)</legend>
          <div>Registration: <output id="registration">{{ registration() }}</output></div>
          <div>Call: <output id="call-state">{{ callState() }}</output></div>
          <ol id="events" class="events">
            @for (line of events(); track $index) {
              <li>{{ line }}</li>
            }
          </ol>
        </fieldset>
      </div>
    </div>
  `,
})
export class AppComponent {
  /** The gateway serves this page, so it is at this page's own host:port (?gateway= overrides). */
  readonly gateway = new URLSearchParams(location.search).get('gateway') || location.host;
  readonly plainStrings = { call: 'Dial', hangup: 'End call' };
  readonly user = signal('201');
  readonly plain = signal(false);
  readonly registration = signal('logged-out');
  readonly callState = signal('none');
  readonly events = signal<string[]>([]);

  private log(line: string): void {
    this.events.update((e) => [...e.slice(-49), line]);
  }
  onRegistration(e: RegistrationChange): void {
    this.registration.set(e.state);
    this.log(`ipo-registration-change ${e.previous} → ${e.state}`);
  }
  onCallState(e: CallStateChange): void {
    this.callState.set(e.state);
    this.log(`ipo-call-state-change ${e.call.farEnd.number || '?'} ${e.previous ?? 'new'} → ${e.state}`);
  }
  onCallEnded(e: CallEnded): void {
    this.callState.set('ended');
    this.log(`ipo-call-ended ${e.call.reason}`);
  }
  onError(e: IpoErrorEvent): void {
    this.log(`ipo-error ${e.error.code}: ${e.error.message}`);
  }
}
