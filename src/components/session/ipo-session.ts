import { IpoSessionElement } from './session.component.js';

IpoSessionElement.define('ipo-session');

declare global {
  interface HTMLElementTagNameMap {
    'ipo-session': IpoSessionElement;
  }
}
