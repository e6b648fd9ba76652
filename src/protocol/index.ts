/** The gateway protocol: message tables, derived types, envelope build/parse and validators. */
export * from './schema.js';
export * from './messages.js';
export * from './envelope.js';
export * from './limits.js';
