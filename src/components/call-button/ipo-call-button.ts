import { IpoCallButton } from './call-button.component.js';

IpoCallButton.define('ipo-call-button');

declare global {
  interface HTMLElementTagNameMap {
    'ipo-call-button': IpoCallButton;
  }
}
