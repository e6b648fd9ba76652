/**
 * bundled-engine.ts for the kit bundle (scripts/build.mjs aliases it here): the SDK is part of
 * the same file, so it is imported statically.
 */
import { AWL } from '../../sdk/awl/index.js';

export function loadBundledAwl(): Promise<unknown> {
  return Promise.resolve(AWL);
}
