/**
 * A small declarative schema language for the gateway protocol's `params` objects.
 *
 * Every message is described once, as data; the TypeScript types and the runtime validators are
 * both derived from that description, so they cannot drift apart.
 *
 * A field is written as a string: one or more kinds joined by `|`, optionally ending in `?`
 * (the member may be missing). Kinds: `string`, `number`, `boolean`, `null`, `sdp` (a string that
 * looks like an SDP body), `id` (a short identifier: letters, digits and `-_.@:+`),
 * `digits` (a dial string) and `unknown` (anything). Nested objects use {@link obj}.
 */

export type Kind = 'string' | 'number' | 'boolean' | 'null' | 'sdp' | 'id' | 'digits' | 'unknown';

type KindType<K extends string> = K extends 'string' | 'sdp' | 'id' | 'digits'
  ? string
  : K extends 'number'
    ? number
    : K extends 'boolean'
      ? boolean
      : K extends 'null'
        ? null
        : K extends 'unknown'
          ? unknown
          : never;

type Union<S extends string> = S extends `${infer A}|${infer B}`
  ? KindType<A> | Union<B>
  : KindType<S>;

export interface ObjSpec<S extends Shape = Shape> {
  readonly kind: 'object';
  readonly shape: S;
  readonly optional: boolean;
  readonly nullable: boolean;
}

export type FieldSpec = string | ObjSpec;
export type Shape = { readonly [field: string]: FieldSpec };

type FieldType<F> =
  F extends ObjSpec<infer S>
    ? F['nullable'] extends true
      ? Infer<S> | null
      : Infer<S>
    : F extends `${infer T}?`
      ? Union<T>
      : F extends string
        ? Union<F>
        : never;

type IsOptional<F> = F extends ObjSpec ? F['optional'] : F extends `${string}?` ? true : false;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The TypeScript type described by a shape. */
export type Infer<S extends Shape> = Simplify<
  { -readonly [K in keyof S as IsOptional<S[K]> extends true ? never : K]: FieldType<S[K]> } & {
    -readonly [K in keyof S as IsOptional<S[K]> extends true ? K : never]?: FieldType<S[K]>;
  }
>;

/** A nested object field. */
export function obj<
  const S extends Shape,
  const O extends boolean = false,
  const N extends boolean = false,
>(
  shape: S,
  flags: { optional?: O; nullable?: N } = {},
): ObjSpec<S> & { readonly optional: O; readonly nullable: N } {
  return {
    kind: 'object',
    shape,
    optional: (flags.optional ?? false) as O,
    nullable: (flags.nullable ?? false) as N,
  };
}

/** Limits applied while validating; every string in a frame is bounded. */
export interface Limits {
  /** Longest plain string field, in characters. */
  maxString: number;
  /** Longest SDP body, in characters. */
  maxSdp: number;
  /** Longest identifier (call ids, user ids, tokens). */
  maxId: number;
}

export const DEFAULT_LIMITS: Limits = { maxString: 1024, maxSdp: 64 * 1024, maxId: 2048 };

const ID_RE = /^[A-Za-z0-9\-_.@:+=~]+$/;

/** A value that may be echoed as an `id` field (a call id): a short identifier. */
export function isIdentifier(value: unknown, limits: Limits = DEFAULT_LIMITS): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= limits.maxId &&
    ID_RE.test(value)
  );
}
const DIGITS_RE = /^[A-Za-z0-9*#+\-_.@:]+$/;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function checkKind(kind: string, value: unknown, limits: Limits): string | null {
  switch (kind) {
    case 'unknown':
      return null;
    case 'null':
      return value === null ? null : 'null';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'a finite number';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'a boolean';
    case 'string':
      if (typeof value !== 'string') return 'a string';
      return value.length <= limits.maxString
        ? null
        : `a string of at most ${limits.maxString} characters`;
    case 'id':
      if (typeof value !== 'string') return 'a string';
      if (value.length === 0 || value.length > limits.maxId)
        return `a string of 1 to ${limits.maxId} characters`;
      return ID_RE.test(value) ? null : 'an identifier (letters, digits and -_.@:+=~)';
    case 'digits':
      if (typeof value !== 'string') return 'a string';
      if (value.length === 0 || value.length > 64) return 'a dial string of 1 to 64 characters';
      return DIGITS_RE.test(value) ? null : 'a dial string (letters, digits and *#+-_.@:)';
    case 'sdp':
      if (typeof value !== 'string') return 'a string';
      if (value.length > limits.maxSdp) return `an SDP of at most ${limits.maxSdp} characters`;
      return value.startsWith('v=0') ? null : 'an SDP body starting with "v=0"';
    default:
      throw new Error(`schema: unknown kind ${kind}`);
  }
}

/**
 * Checks `value` against `spec`. Returns null when valid, otherwise a precise message naming the
 * field path, what was expected and what arrived.
 */
export function checkField(
  path: string,
  spec: FieldSpec,
  value: unknown,
  limits: Limits,
): string | null {
  if (typeof spec === 'string') {
    const optional = spec.endsWith('?');
    const kinds = (optional ? spec.slice(0, -1) : spec).split('|');
    if (value === undefined) return optional ? null : `${path} is missing`;
    const wanted: string[] = [];
    for (const kind of kinds) {
      const problem = checkKind(kind, value, limits);
      if (problem === null) return null;
      wanted.push(problem);
    }
    return `${path} must be ${wanted.join(' or ')} (got ${kindOf(value)})`;
  }
  if (value === undefined) return spec.optional ? null : `${path} is missing`;
  if (value === null) return spec.nullable ? null : `${path} must be an object (got null)`;
  if (kindOf(value) !== 'object') return `${path} must be an object (got ${kindOf(value)})`;
  return checkShape(path, spec.shape, value as Record<string, unknown>, limits);
}

/** Checks every declared member of an object; undeclared members are ignored (forward-compatible). */
export function checkShape(
  path: string,
  shape: Shape,
  value: Record<string, unknown>,
  limits: Limits,
): string | null {
  for (const [field, spec] of Object.entries(shape)) {
    const problem = checkField(path ? `${path}.${field}` : field, spec, value[field], limits);
    if (problem) return problem;
  }
  return null;
}
