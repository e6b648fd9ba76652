/**
 * The session context shared by `<ipo-session>` (provider) and every widget (through
 * SessionStateController). The value is a stable handle; its changes travel as `change` events,
 * not as new context values (STYLE §5).
 *
 * Side effect: attaches one ContextRoot to `document.body`, so a provider upgraded after its
 * consumers still reaches them.
 */
import { ContextRoot, createContext } from '@lit/context';
import type { IpoSession } from '../core/ipo-session.js';

/** What components may use of a session. IpoSession implements it; tests may fake it. */
export type SessionHandle = Pick<
  IpoSession,
  | 'snapshot'
  | 'addEventListener'
  | 'removeEventListener'
  | 'login'
  | 'tokenLogin'
  | 'logout'
  | 'call'
  | 'answer'
  | 'reject'
  | 'hangup'
  | 'hold'
  | 'resume'
  | 'mute'
  | 'unmute'
  | 'sendDigits'
  | 'transfer'
  | 'addVideo'
  | 'removeVideo'
  | 'setActiveCall'
  | 'refreshDevices'
  | 'selectDevices'
  | 'getStats'
  | 'clearError'
> &
  // token sign-in (optional: a hand-made session may not have it)
  Partial<Pick<IpoSession, 'signIn' | 'tokenSignIn'>>;

/** `Symbol.for` so a second copy of the kit on the page shares the same context. */
export const sessionContext = createContext<SessionHandle, symbol>(Symbol.for('ipo:session'));

/** Marks the page once, across copies of the kit, so only one ContextRoot is attached. */
const ROOT_MARK = Symbol.for('ipo:context-root');

/** Attaches the ContextRoot to `document.body` once; does nothing without a DOM. */
export function attachContextRoot(doc: Document | undefined = globalThis.document): void {
  if (!doc) return;
  const marks = globalThis as { [ROOT_MARK]?: true };
  if (marks[ROOT_MARK]) return;
  const attach = (): void => {
    if (marks[ROOT_MARK] || !doc.body) return;
    marks[ROOT_MARK] = true;
    new ContextRoot().attach(doc.body);
  };
  if (doc.body) attach();
  else doc.addEventListener('DOMContentLoaded', attach, { once: true });
}

attachContextRoot();
