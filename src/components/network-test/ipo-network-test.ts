import { IpoNetworkTest } from './network-test.component.js';

IpoNetworkTest.define('ipo-network-test');

declare global {
  interface HTMLElementTagNameMap {
    'ipo-network-test': IpoNetworkTest;
  }
}
