import { css } from 'lit';

export const videoPairStyles = css`
  [part~='base'] {
    grid-template-columns: 2fr 1fr;
    align-items: start;
    background: none;
  }
  :host([layout='pip']) [part~='base'] {
    display: block;
    position: relative;
  }
  video,
  [part~='poster'] {
    display: block;
    width: 100%;
    aspect-ratio: var(--ipo-video-pair-aspect, 16 / 9);
    border-radius: var(--_r);
    background: var(--ipo-video-pair-background, #1f2328);
    object-fit: cover;
  }
  [part~='poster'] {
    display: grid;
    place-items: center;
    color: var(--ipo-video-pair-poster-text, #fff);
    font: var(--_ipo-font);
  }
  [part~='local-video'] {
    transform: scaleX(-1);
  }
  :host([layout='pip']) [part~='local-video'] {
    position: absolute;
    inset-inline-end: var(--_g);
    inset-block-end: var(--_g);
    width: var(--ipo-video-pair-pip-size, 28%);
    box-shadow: 0 0 0 2px var(--_bg);
  }
  @media (forced-colors: active) {
    video,
    [part~='poster'] {
      border: 1px solid CanvasText;
    }
  }
`;
