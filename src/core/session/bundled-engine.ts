/**
 * Loads our bundled SDK on first use, so apps that bring their own engine never load it.
 *
 * The kit bundle (dist/ipo-webrtc-kit.js) contains the SDK anyway; there scripts/build.mjs
 * aliases this module to bundled-engine.static.ts, which imports it statically and spares the
 * lazy-module wrappers esbuild would otherwise put around the whole SDK.
 *
 * The SDK's module types are deliberately not used: the core relies only on the documented
 * AWL.client shape, which the engine host checks at run time.
 */
export async function loadBundledAwl(): Promise<unknown> {
  const mod = (await import('../../sdk/awl/index.js')) as { AWL?: unknown };
  return mod.AWL;
}
