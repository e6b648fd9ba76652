// Injected into a Chromium page by bench/media-bench.ts: one relay-service AWL client runs the
// loopback network test through the dev gateway for `seconds`, reading getLoopBackStats() once a
// second; resolves with the RTT samples (ms) and the final packet counters.
window.benchLoopback = async ({ port, password, seconds }) => {
  // a looping 440 Hz tone as the relay audio tag (the test needs no microphone)
  const rate = 8000;
  const data = new Int16Array(rate);
  for (let i = 0; i < rate; i++)
    data[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 8000);
  const header = new DataView(new ArrayBuffer(44));
  const put = (o, s) => [...s].forEach((c, i) => header.setUint8(o + i, c.charCodeAt(0)));
  put(0, 'RIFF');
  header.setUint32(4, 36 + data.byteLength, true);
  put(8, 'WAVEfmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true);
  header.setUint16(22, 1, true);
  header.setUint32(24, rate, true);
  header.setUint32(28, rate * 2, true);
  header.setUint16(32, 2, true);
  header.setUint16(34, 16, true);
  put(36, 'data');
  header.setUint32(40, data.byteLength, true);
  const tag = document.createElement('audio');
  tag.id = 'bench-relay-tone';
  tag.loop = true;
  tag.src = URL.createObjectURL(new Blob([header.buffer, data.buffer], { type: 'audio/wav' }));
  document.body.append(tag);
  const notes = [];
  let onNote = () => undefined;
  const client = new AWL.client();
  const listener = {
    onNewIncomingCall: () => undefined,
    onCallStateChange: () => undefined,
    onCallTerminate: () => undefined,
    onLoopBackNotification: (n) => {
      notes.push(n);
      onNote(n);
    },
    onVideoStreamsAvailable: () => undefined,
    onAudioStreamsAvailable: () => undefined,
  };
  await new Promise((resolve, reject) => {
    client.setConfiguration(
      {
        serviceType: 'relay',
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
      (r) =>
        r.result === 'AWL_MSG_LOGIN_SUCCESS'
          ? resolve()
          : reject(new Error(`${r.result} ${r.reason}`)),
      listener,
    );
    client.setDomElements({ relayAudioTagId: 'bench-relay-tone' });
    client.logIn('201', password, true);
  });
  const t0 = performance.now();
  const up = new Promise((resolve, reject) => {
    onNote = (n) => (n === 'AWL_MSG_LOOPBACK_CONN_SUCCESSFULL' ? resolve() : reject(new Error(n)));
  });
  client.createLoopBackConnection();
  await up;
  const connectMs = performance.now() - t0;
  const rtts = [];
  let last = {};
  for (let i = 0; i < seconds; i++) {
    await new Promise((r) => setTimeout(r, 1000));
    last = { ...client.getLoopBackStats().audio };
    if (typeof last.nowRTT === 'number' && last.nowRTT > 0) rtts.push(last.nowRTT * 1000);
  }
  const closed = new Promise((resolve) => (onNote = resolve));
  client.endLoopBackConnection();
  await closed;
  client.logOut();
  tag.remove();
  return { connectMs, rtts, last, notes };
};
