/**
 * The user directory: extension, name, scrypt-hashed password and profile. Loaded from a JSON
 * file (`ipo-gateway user …` manages it) or, for demos on loopback, an embedded set of users.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';

export const PROFILES = ['phone', 'agent'] as const;
export type Profile = (typeof PROFILES)[number];

export interface User {
  extension: string;
  name: string;
  /** `scrypt$N$r$p$<salt b64>$<hash b64>` */
  passwordHash: string;
  profile: Profile;
}

export interface DirectoryFile {
  version: 1;
  users: User[];
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;
const EXTENSION_RE = /^[0-9]{2,8}$/;

function scrypt(
  password: string,
  salt: Buffer,
  keyLength: number,
  options: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, SCRYPT.keyLength, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
  });
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

/** Constant-time check of a password against a stored hash; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (!N || !r || !p || expected.length === 0) return false;
  const key = await scrypt(password, salt, expected.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

/** Checks one user record; returns a message naming the problem, or null. */
export function validateUser(u: unknown, index = 0): string | null {
  if (!u || typeof u !== 'object') return `users[${index}] must be an object`;
  const user = u as Record<string, unknown>;
  if (typeof user.extension !== 'string' || !EXTENSION_RE.test(user.extension)) {
    return `users[${index}].extension must be 2 to 8 digits`;
  }
  if (typeof user.name !== 'string' || user.name.trim() === '' || user.name.length > 64) {
    return `users[${index}].name must be a non-empty string of at most 64 characters`;
  }
  if (typeof user.passwordHash !== 'string' || !user.passwordHash.startsWith('scrypt$')) {
    return `users[${index}].passwordHash must be an scrypt hash (use "ipo-gateway user passwd")`;
  }
  if (!(PROFILES as readonly string[]).includes(user.profile as string)) {
    return `users[${index}].profile must be one of ${PROFILES.join(', ')}`;
  }
  return null;
}

export class Directory {
  readonly #users = new Map<string, User>();

  constructor(users: Iterable<User>) {
    for (const user of users) this.#users.set(user.extension, user);
  }

  get(extension: string): User | undefined {
    return this.#users.get(extension);
  }

  list(): User[] {
    return [...this.#users.values()].sort((a, b) => a.extension.localeCompare(b.extension));
  }

  get size(): number {
    return this.#users.size;
  }

  static async load(path: string): Promise<Directory> {
    return new Directory((await readDirectoryFile(path)).users);
  }
}

export async function readDirectoryFile(path: string): Promise<DirectoryFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, users: [] };
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${path}: not valid JSON`);
  }
  const users = (data as { users?: unknown })?.users;
  if (!Array.isArray(users)) throw new Error(`${path}: expected {"version":1,"users":[…]}`);
  const seen = new Set<string>();
  users.forEach((u, i) => {
    const problem = validateUser(u, i);
    if (problem) throw new Error(`${path}: ${problem}`);
    const ext = (u as User).extension;
    if (seen.has(ext)) throw new Error(`${path}: extension ${ext} appears twice`);
    seen.add(ext);
  });
  return { version: 1, users: users as User[] };
}

/** Writes atomically (temp file + rename), readable by the owner only. */
export async function writeDirectoryFile(path: string, file: DirectoryFile): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  await rename(tmp, path);
}

export const DEMO_USERS: ReadonlyArray<Omit<User, 'passwordHash'>> = [
  { extension: '201', name: 'Alice Carter', profile: 'phone' },
  { extension: '202', name: 'Bob Dalton', profile: 'phone' },
  { extension: '203', name: 'Carol Evans', profile: 'phone' },
  { extension: '204', name: 'Dan Foster', profile: 'phone' },
  { extension: '205', name: 'Erin Garcia', profile: 'agent' },
  { extension: '206', name: 'Frank Hughes', profile: 'agent' },
  // the demo token route's "web visitor" (click-to-call pages sign in as it, no password typed)
  { extension: '207', name: 'Web visitor', profile: 'phone' },
];

/** The embedded demo directory: every demo user shares one password. */
export async function demoDirectory(password: string): Promise<Directory> {
  const passwordHash = await hashPassword(password);
  return new Directory(DEMO_USERS.map((u) => ({ ...u, passwordHash })));
}

/** A readable random password for demos (no look-alike characters). */
export function randomDemoPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}
