/** Fakes for unit tests of the engine: a scriptable WebSocket. */
type Frame = {
  protocol: string;
  id: string;
  service: string;
  msgname: string;
  params: Record<string, unknown> | null;
};

export class FakeSocket {
  static all: FakeSocket[] = [];
  static get last(): FakeSocket {
    return FakeSocket.all[FakeSocket.all.length - 1]!;
  }
  readyState = 0;
  protocol = '';
  sent: Frame[] = [];
  closed = false;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text) as Frame);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  // ---- test side
  open(protocol = 'jsonrpc-3.0') {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.({});
  }
  recv(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  /** A gateway frame (D11). */
  gw(msgname: string, params: unknown, id = `gw-${Math.random()}`) {
    this.recv({
      protocol: this.protocol === 'jsonrpc-3.0' ? 'jsonrpc-3.0.0' : 'jsonrpc-2.0.0',
      id,
      service: 'phoneservice',
      msgname,
      params,
    });
  }
  /** Answers the last request of that name, echoing its id (or not). */
  reply(request: string, params: Record<string, unknown>, echo = true) {
    const req = [...this.sent].reverse().find((f) => f.msgname === request)!;
    const name =
      { getGatewaySettings: 'gatewaySettingsResponse', login: 'loginResponse' }[request] ??
      `${request}Response`;
    this.gw(name, params, echo ? req.id : 'other-id');
  }
  drop(code: number) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
