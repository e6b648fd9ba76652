/**
 * IpoSession and its public types. The implementation lives in core/session/ (one file per
 * concern, see session/session.ts); this module keeps the import path the elements, apps and
 * the published .d.ts files use.
 */
export * from './session/index.js';
