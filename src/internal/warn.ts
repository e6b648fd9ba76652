const warned = new Set<string>();

/** `console.warn` once per distinct message. */
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`ipo-webrtc-kit: ${message}`);
}
