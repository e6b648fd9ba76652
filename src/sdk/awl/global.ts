/** IIFE entry of dist/awl.min.js, the drop-in for the vendor's file: `window.AWL`, `window.CONST`. */
import { AWL, CONST } from './index.js';

declare global {
  interface Window {
    AWL: typeof AWL;
    CONST: typeof CONST;
  }
}

window.AWL = AWL;
window.CONST = CONST;
