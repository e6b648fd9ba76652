/** Checks of what people type: dial strings and DTMF digits (public: the elements use them too). */
import { invalidArgument } from './failures.js';

const DIAL_RE = /^[A-Za-z0-9*#+\-_.@:]{1,64}$/;
const DIGITS_RE = /^[0-9*#A-D]{1,64}$/;

/** Validates a dial string; spaces and parentheses people type are dropped. */
export function normalizeDialString(input: unknown): string {
  const value = typeof input === 'string' ? input.replace(/[\s()]/g, '') : '';
  if (value === '') throw invalidArgument('Enter a number to call.');
  if (!DIAL_RE.test(value)) {
    throw invalidArgument('A number can have up to 64 digits, letters and * # + - _ . @ : only.');
  }
  return value;
}

/** Validates DTMF digits (0-9 * # A-D, case-insensitive, spaces ignored). */
export function normalizeDigits(input: unknown): string {
  const value = typeof input === 'string' ? input.replace(/\s/g, '').toUpperCase() : '';
  if (!DIGITS_RE.test(value)) throw invalidArgument('Digits can only be 0-9, *, # and A-D.');
  return value;
}
