// Injected into a Chromium page by bench/resiliency-bench.ts (before awl.min.js): records every
// RTCPeerConnection, runs AWL clients whose registration results are logged with Date.now(), and
// measures the longest gap without received audio packets on a call.
(() => {
  const Native = window.RTCPeerConnection;
  window.rbPcs = [];
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      window.rbPcs.push(this);
    }
  };
  window.rbClients = {};
  window.rbClient = ({ label, port, user, password }) =>
    new Promise((resolve, reject) => {
      const client = new AWL.client();
      const log = [];
      const calls = [];
      window.rbClients[label] = { client, log, calls };
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
          disableResiliency: false,
        },
        () => undefined,
        (r) => {
          log.push({ result: r.result, at: Date.now() });
          if (r.result === 'AWL_MSG_LOGIN_SUCCESS') resolve(true);
          else if (log.length === 1 && r.result !== 'AWL_MSG_LOGIN_SUCCESS')
            reject(new Error(`${label}: ${r.result} ${r.reason}`));
        },
        {
          onNewIncomingCall: (callId) => client.answerCall(callId),
          onCallStateChange: (callId, _o, state) => calls.push({ callId, state, at: Date.now() }),
          onCallTerminate: (callId) => calls.push({ callId, state: 'TERMINATED', at: Date.now() }),
          onLoopBackNotification: () => undefined,
          onVideoStreamsAvailable: () => undefined,
          onAudioStreamsAvailable: (_id, _l, remote) => {
            const a = document.createElement('audio');
            a.srcObject = remote;
            a.autoplay = true;
            document.body.append(a);
            void a.play().catch(() => undefined);
          },
        },
      );
      client.logIn(user, password, true);
    });
  /** Resolves with the Date.now() of the first `result` logged by `label` at index ≥ `since`. */
  window.rbWait = (label, result, since, timeoutMs = 30000) =>
    new Promise((resolve, reject) => {
      const end = Date.now() + timeoutMs;
      const tick = () => {
        const hit = window.rbClients[label].log.slice(since).find((e) => e.result === result);
        if (hit) return resolve(hit.at);
        if (Date.now() > end)
          return reject(
            new Error(
              `${label}: no ${result}; saw ${JSON.stringify(window.rbClients[label].log.slice(since))}`,
            ),
          );
        setTimeout(tick, 5);
      };
      tick();
    });
  window.rbMark = (label) => window.rbClients[label].log.length;
  window.rbCall = async (from, to) => {
    const call = window.rbClients[from].client.makeCall(to, 'audio');
    const id = call.getCallId();
    for (let i = 0; i < 2000; i++) {
      if (
        window.rbClients[from].calls.some(
          (c) => c.callId === id && c.state === 'AWL_MSG_CALL_CONNECTED',
        )
      )
        return id;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('call did not connect');
  };
  /** Starts sampling inbound audio packets on the newest offering PC; stop() gives the longest gap. */
  window.rbGap = () => {
    const pc = [...window.rbPcs]
      .reverse()
      .find((p) => p.signalingState !== 'closed' && p.localDescription?.type === 'offer');
    let last = -1;
    let lastAt = performance.now();
    let maxGap = 0;
    let packets = 0;
    let running = true;
    (async () => {
      while (running) {
        const st = await pc.getStats();
        st.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') packets = s.packetsReceived;
        });
        const now = performance.now();
        if (packets !== last) {
          if (last >= 0) maxGap = Math.max(maxGap, now - lastAt);
          last = packets;
          lastAt = now;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    window.rbGapStop = () => {
      running = false;
      return { maxGapMs: Math.max(maxGap, performance.now() - lastAt), packets };
    };
  };
})();
