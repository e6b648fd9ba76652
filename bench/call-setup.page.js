// Injected into a Chromium page by bench/sdk-bench.ts: two AWL clients log in to the dev gateway;
// the callee answers every call at once; resolves with the ms from makeCall to CONNECTED per call.
window.benchCallSetup = async ({ port, password, calls, stunPort }) => {
  const connected = new Map();
  const ended = new Map();
  const make = (user, onIncoming) =>
    new Promise((resolve, reject) => {
      const client = new AWL.client();
      const listener = {
        onNewIncomingCall: (callId) => onIncoming && onIncoming(client, callId),
        onCallStateChange: (callId, _obj, state) => {
          if (state === 'AWL_MSG_CALL_CONNECTED') connected.get(callId)?.();
        },
        onCallTerminate: (callId) => ended.get(callId)?.(),
        onLoopBackNotification: () => undefined,
        onVideoStreamsAvailable: () => undefined,
        onAudioStreamsAvailable: () => undefined,
      };
      const cfg = {
        serviceType: 'phone',
        enableVideo: false,
        Gateway: { ip: '127.0.0.1', port: String(port) },
        useGatewayPort: true, // the dev gateway's own port (the vendor's rule is 9443)
        Stunserver: { ip: stunPort ? '127.0.0.1' : '', port: String(stunPort || 3478) },
        Turnserver: { ip: '', port: '3478', user: '', pwd: '' },
        AppData: {
          applicationID: 'bench',
          applicationUA: 'bench/1',
          appInstanceID: client.generateAppInstanceID(),
        },
        disableResiliency: true,
      };
      client.setConfiguration(
        cfg,
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
  const caller = await make('201');
  const callee = await make('202', (client, callId) => client.answerCall(callId));
  const times = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    const callId = caller.makeCall('202', 'audio').getCallId();
    await new Promise((resolve) => connected.set(callId, resolve));
    times.push(performance.now() - t0);
    const gone = new Promise((resolve) => ended.set(callId, resolve));
    caller.dropCall(callId);
    await gone;
  }
  caller.logOut();
  callee.logOut();
  return times;
};
