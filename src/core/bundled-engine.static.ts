/**
 * bundled-engine.ts for the kit bundle (scripts/build.mjs aliases it here): the SDK is part of
 * the same file, so it is imported statically.
 */
import type { TestTone } from './awl-client.js';
import { AWL } from '../sdk/awl/index.js';
import { attachTestTone } from '../sdk/awl/test-tone.js';

export const loadBundledAwl = (): Promise<unknown> => Promise.resolve(AWL);

export const loadBundledTestTone = (): Promise<TestTone> => Promise.resolve(attachTestTone);
