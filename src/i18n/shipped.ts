/**
 * The translations that ship with the kit, one module each, loaded by `import()` only when an
 * element's language needs one (so an English page never downloads them). The CDN bundle has them
 * as chunks next to it (`dist/ipo-webrtc-kit.<lang>-<hash>.js`); npm builds get one module each.
 * Add a language here and in `locales/`; test/i18n/translations.test.ts checks both.
 */
import type { Translation } from './translation.js';

type Loader = () => Promise<{ default: Translation }>;

export const SHIPPED: Record<string, Loader> = {
  ar: () => import('./locales/ar.js'),
  de: () => import('./locales/de.js'),
  es: () => import('./locales/es.js'),
  fr: () => import('./locales/fr.js'),
  it: () => import('./locales/it.js'),
  nl: () => import('./locales/nl.js'),
  pl: () => import('./locales/pl.js'),
  pt: () => import('./locales/pt.js'),
  sv: () => import('./locales/sv.js'),
};
