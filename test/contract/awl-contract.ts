/**
 * Compile-time check (run by `npm run typecheck`, no test runner): the engine contract the core
 * drives (src/core/awl-client.ts, kept free of SDK imports so any AWL-shaped engine fits) and our
 * AWL.client facade (src/sdk/awl/client.ts) describe the same API. Each line fails to compile
 * when one side changes without the other.
 */
import type * as Core from '../../src/core/awl-client.js';
import type { RelayClient } from '../../src/core/network-test.js';
import type * as Sdk from '../../src/sdk/awl/client.js';
import type { TestTone } from '../../src/core/network-test.js';
import type { attachTestTone } from '../../src/sdk/awl/test-tone.js';
import type { CallQualityReading } from '../../src/core/session/events.js';

/** Compiles only when `T` is `true`. */
type Assert<T extends true> = T;
/** Strict assignability (no distribution over unions). */
type Fits<A, B> = [A] extends [B] ? true : false;
/** Methods as function properties, so their parameters are checked strictly, not bivariantly. */
type Strict<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => R : T[K];
};

export type Checks = [
  // our facade can be driven by IpoSession, every method the core may call included
  Assert<Fits<Strict<Sdk.AwlClient>, Strict<Required<Core.AwlClient>>>>,
  // …and by NetworkTest, with the relay-service methods
  Assert<Fits<Strict<Sdk.AwlClient>, Strict<Required<RelayClient>>>>,
  // what the core passes to setConfiguration is what the facade accepts
  Assert<Fits<Core.AwlConfig, Sdk.AwlConfig>>,
  Assert<Fits<Strict<Core.AwlCallListener>, Strict<Required<Sdk.AwlCallListener>>>>,
  // the call objects the facade hands out are what the core reads
  Assert<Fits<Strict<Sdk.AwlCall>, Strict<Core.AwlCall>>>,
  // the quality readings the facade reports are what the core's quality event carries
  Assert<Fits<Awaited<ReturnType<Sdk.AwlClient['getCallQuality']>>, CallQualityReading | null>>,
  // the SDK's test tone is a NetworkTest tone source
  Assert<Fits<typeof attachTestTone, TestTone>>,
];
