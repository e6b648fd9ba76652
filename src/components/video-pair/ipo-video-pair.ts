import { IpoVideoPair } from './video-pair.component.js';

IpoVideoPair.define('ipo-video-pair');

declare global {
  interface HTMLElementTagNameMap {
    'ipo-video-pair': IpoVideoPair;
  }
}
