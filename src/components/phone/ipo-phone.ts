import { IpoPhone } from './phone.component.js';

IpoPhone.define('ipo-phone');

declare global {
  interface HTMLElementTagNameMap {
    'ipo-phone': IpoPhone;
  }
}
