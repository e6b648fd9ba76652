// Injected into a Chromium page by bench/soak-bench.ts: two AWL clients on the dev gateway, the
// callee answering at once; `benchSoakCycle(n)` makes n calls one after the other (connected,
// then dropped by the caller, ended on both sides) and keeps nothing of them. Plain browser
// JavaScript, kept out of TypeScript so the transpiler adds no helpers to it.
(() => {
  const waiters = new Map();
  const wait = (key) => new Promise((resolve) => waiters.set(key, resolve));
  const fire = (key) => {
    const fn = waiters.get(key);
    waiters.delete(key);
    if (fn) fn();
  };
  let caller;
  let callee;
  const make = (user, port, password, onIncoming) =>
    new Promise((resolve, reject) => {
      const client = new AWL.client();
      const listener = {
        onNewIncomingCall: (callId) => onIncoming && onIncoming(client, callId),
        onCallStateChange: (callId, _obj, state) => {
          if (state === 'AWL_MSG_CALL_CONNECTED') fire(`${user}:connected`);
        },
        onCallTerminate: () => fire(`${user}:ended`),
        onLoopBackNotification: () => undefined,
        onVideoStreamsAvailable: () => undefined,
        onAudioStreamsAvailable: () => undefined,
      };
      client.setConfiguration(
        {
          serviceType: 'phone',
          enableVideo: false,
          Gateway: { ip: '127.0.0.1', port: String(port) },
          useGatewayPort: true, // the dev gateway's own port (the vendor's rule is 9443)
          Stunserver: { ip: '', port: '3478' },
          Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
          AppData: {
            applicationID: 'bench',
            applicationUA: 'bench/1',
            appInstanceID: client.generateAppInstanceID(),
          },
          disableResiliency: true,
        },
        () => undefined,
        (r) => {
          if (r.result === 'AWL_MSG_LOGIN_SUCCESS') resolve(client);
          else if (r.result !== 'AWL_MSG_LINK_ISSUE_DETECTED')
            reject(new Error(`${user}: ${r.result} ${r.reason}`));
        },
        listener,
      );
      client.logIn(user, password, true);
    });

  window.benchSoakLogin = async (port, password) => {
    caller = await make('201', port, password);
    callee = await make('202', port, password, (client, callId) => client.answerCall(callId));
  };

  /** One engine Call object, for its prototype (the bench counts live calls by it). */
  window.benchSoakCallProto = null;

  window.benchSoakCycle = async (n) => {
    for (let i = 0; i < n; i++) {
      const connected = Promise.all([wait('201:connected'), wait('202:connected')]);
      const callId = caller.makeCall('202', 'audio').getCallId();
      if (!window.benchSoakCallProto)
        window.benchSoakCallProto = Object.getPrototypeOf(caller.phone.calls.get(callId));
      await connected;
      const ended = Promise.all([wait('201:ended'), wait('202:ended')]);
      caller.dropCall(callId);
      await ended;
    }
    return { callerCalls: caller.phone.calls.size, calleeCalls: callee.phone.calls.size };
  };

  window.benchSoakLogout = () => {
    caller.logOut();
    callee.logOut();
  };
})();
