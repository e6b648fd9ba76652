/**
 * The core's one door to our SDK: loads it on first use, so apps that bring their own engine
 * never load it. IpoSession takes `AWL.client` from here; NetworkTest its default test tone.
 * Nothing else in core/ imports a value from sdk/ (the lint rules say so).
 *
 * The kit bundle (dist/ipo-webrtc-kit.js) contains the SDK anyway; there scripts/build.mjs
 * aliases this module to bundled-engine.static.ts, which imports the same modules statically and
 * spares the lazy-module wrappers esbuild would otherwise put around the whole SDK.
 *
 * The SDK's module types are deliberately not used for the client: the core relies only on the
 * documented AWL.client shape, which the engine host checks at run time.
 */
import type { TestTone } from './awl-client.js';

export async function loadBundledAwl(): Promise<unknown> {
  const mod = (await import('../sdk/awl/index.js')) as { AWL?: unknown };
  return mod.AWL;
}

export async function loadBundledTestTone(): Promise<TestTone> {
  return (await import('../sdk/awl/test-tone.js')).attachTestTone;
}
