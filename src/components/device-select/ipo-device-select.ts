import { IpoDeviceSelect } from './device-select.component.js';

IpoDeviceSelect.define('ipo-device-select');

declare global {
  interface HTMLElementTagNameMap {
    'ipo-device-select': IpoDeviceSelect;
  }
}
