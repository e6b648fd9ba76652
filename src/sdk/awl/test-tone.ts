/**
 * The network test's outgoing audio for an AWL client in relay service: a looping quiet 440 Hz
 * tone in a hidden `<audio>` element, handed over with `setDomElements({relayAudioTagId})` (the
 * AWL API's way, §9), so no microphone is needed. The core's NetworkTest uses it by default.
 */

/** A one-second 440 Hz tone as a WAV blob URL. */
function toneUrl(): string {
  const rate = 8000;
  const v = new DataView(new ArrayBuffer(44 + rate * 2));
  const text = (at: number, s: string) =>
    [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  v.setUint32(4, 36 + rate * 2, true);
  text(8, 'WAVEfmt ');
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * 2, true); // bytes per second
  v.setUint16(32, 2, true); // block align
  v.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  v.setUint32(40, rate * 2, true);
  for (let i = 0; i < rate; i++)
    v.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * 440 * i) / rate) * 3000), true);
  return URL.createObjectURL(new Blob([v.buffer], { type: 'audio/wav' }));
}

/** Attaches the tone to `client` and starts it; returns the clean-up (element and URL gone). */
export function attachTestTone(client: {
  setDomElements(elements: { relayAudioTagId: string }): void;
}): () => void {
  const tag = document.createElement('audio');
  tag.id = `ipo-network-test-${Math.random().toString(36).slice(2)}`;
  tag.hidden = true;
  tag.loop = true;
  tag.src = toneUrl();
  document.body.append(tag);
  client.setDomElements({ relayAudioTagId: tag.id });
  void tag.play().catch(() => undefined);
  return () => {
    URL.revokeObjectURL(tag.src);
    tag.remove();
  };
}
