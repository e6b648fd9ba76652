// Signs in to the dev gateway over its signalling socket and shows what it answered.
const form = document.querySelector('#check');
const status = document.querySelector('#status');
const details = document.querySelector('#details');
document.querySelector('#endpoint').textContent = `wss://${location.host}/SignalGateway/connect`;

function show(rows) {
  details.replaceChildren(
    ...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = k;
      dd.textContent = v; // textContent: gateway strings are never parsed as HTML
      return [dt, dd];
    }),
  );
  details.hidden = false;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  status.textContent = 'Connecting…';
  const ws = new WebSocket(`wss://${location.host}/SignalGateway/connect`, [
    'jsonrpc',
    'jsonrpc-3.0',
  ]);
  const send = (msgname, params) =>
    ws.send(
      JSON.stringify({
        protocol: 'jsonrpc-3.0.0',
        id: crypto.randomUUID(),
        service: 'phoneservice',
        msgname,
        params,
      }),
    );
  let version = '';
  ws.addEventListener('open', () => {
    status.textContent = 'Signing in…';
    send('getGatewaySettings', { type: 'all' });
    send('login', {
      applicationID: 'gateway-check',
      applicationUA: 'gateway-check/1',
      applicationInstanceID: crypto.getRandomValues(new Uint32Array(1))[0],
      userID: String(data.get('user')),
      authType: 'password',
      password: String(data.get('password')),
      authToken: null,
      bumpConnection: false,
    });
  });
  ws.addEventListener('message', (e) => {
    if (e.data === 'keepalive') return;
    const msg = JSON.parse(e.data);
    if (msg.msgname === 'gatewaySettingsResponse') version = msg.params.other?.gatewayVersion ?? '';
    if (msg.msgname !== 'loginResponse') return;
    const ok = msg.params.responseCode === '200';
    status.textContent = ok
      ? 'Signed in: the gateway works from this browser.'
      : `Refused: ${msg.params.responseString}`;
    show([
      ['Dialect', ws.protocol === 'jsonrpc-3.0' ? 'D11 (jsonrpc-3.0.0)' : 'D10 (jsonrpc-2.0.0)'],
      ['Gateway', version],
      ['Response', `${msg.params.responseCode} ${msg.params.responseString}`],
    ]);
    if (ok) send('logout', null);
    ws.close();
  });
  ws.addEventListener('close', (e) => {
    if (status.textContent.startsWith('Connecting'))
      status.textContent = `Could not connect (code ${e.code}).`;
  });
});
