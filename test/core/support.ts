/** Shared set-up for the IpoSession suites. */
import {
  IpoSession,
  type IpoSessionChangeEvent,
  type IpoSessionOptions,
} from '../../src/core/ipo-session.js';
import { FakeAwlClient, ManualClock, flush, type FakeAwlOptions } from './fake-awl.js';

export const PASSWORD = 'pw-201-SECRET';
export const TOKEN = 'esna-SECRET-token';

export interface Rig {
  fake: FakeAwlClient;
  clock: ManualClock;
  session: IpoSession;
  /** Every `change` event, in order. */
  events: IpoSessionChangeEvent[];
}

export function setup(
  options: { fake?: FakeAwlOptions; session?: Partial<IpoSessionOptions> } = {},
): Rig {
  const fake = new FakeAwlClient({
    users: { '201': PASSWORD },
    tokens: { [TOKEN]: '201' },
    ...options.fake,
  });
  const clock = new ManualClock();
  const session = new IpoSession({
    gateway: 'gw.example.com',
    client: fake,
    clock,
    mediaDevices: null,
    ...options.session,
  });
  const events: IpoSessionChangeEvent[] = [];
  session.addEventListener('change', (event) => events.push(event));
  return { fake, clock, session, events };
}

/** A rig already logged in as 201, with the event log cleared. */
export async function loggedIn(options: Parameters<typeof setup>[0] = {}): Promise<Rig> {
  const rig = setup(options);
  await rig.session.login('201', PASSWORD);
  rig.events.length = 0;
  rig.fake.requests.length = 0;
  return rig;
}

/** Places a call to `number` and has the far end answer it. */
export async function connectedCall(rig: Rig, number = '202'): Promise<string> {
  const id = await rig.session.call(number);
  rig.fake.remoteAnswer(id);
  await flush();
  return id;
}

/** Delivers an incoming call and waits until the session has it. */
export async function incomingCall(
  rig: Rig,
  init: Parameters<FakeAwlClient['incoming']>[0] = { number: '301' },
): Promise<string> {
  const call = rig.fake.incoming(init);
  await flush();
  return call.id;
}

/** Settles `promise` and returns its rejection (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise resolved');
}
