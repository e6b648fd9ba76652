/**
 * NotificationController: one desktop notification per ringing call (when the page has the
 * permission), closed when the call stops ringing or the host goes away. Clicking it focuses the
 * window and calls `onClick` (the phone moves focus to Answer).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CallSnapshot } from '../core/snapshot.js';

export class NotificationController implements ReactiveController {
  #notice?: Notification;
  readonly #onClick: () => void;

  constructor(host: ReactiveControllerHost, onClick: () => void = () => undefined) {
    this.#onClick = onClick;
    host.addController(this);
  }

  /** Asks for permission (call it from a user gesture). */
  request(): void {
    if (globalThis.Notification?.permission === 'default') void Notification.requestPermission();
  }

  /** Shows `title` for this ringing call, or closes the notification (`call` undefined). */
  show(call: CallSnapshot | undefined, title = ''): void {
    if (call && this.#notice?.tag === `ipo-${call.id}`) return;
    this.#notice?.close();
    this.#notice = undefined;
    if (!call || globalThis.Notification?.permission !== 'granted') return;
    try {
      this.#notice = new Notification(title, { body: call.farEnd.subject, tag: `ipo-${call.id}` });
      this.#notice.onclick = () => {
        window.focus();
        this.#onClick();
      };
    } catch {
      /* some browsers need a service worker for notifications */
    }
  }

  hostDisconnected(): void {
    this.show(undefined);
  }
}
