export { en, type Translation } from './translation.js';
export {
  LocalizeController,
  errorText,
  registerTranslation,
  type TranslationModule,
} from './localize.js';
