import { css } from 'lit';

export const networkTestStyles = css`
  :host {
    max-width: var(--ipo-network-test-width, 24rem);
  }
  [part~='base'] {
    padding: var(--_g);
    border: 1px solid var(--_bd);
    border-radius: var(--_r);
  }
  form,
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_g);
    align-items: end;
  }
  [part~='chart'] {
    width: 100%;
    height: auto;
    background: var(--ipo-network-test-chart-background, transparent);
    border: 1px solid var(--_bd);
    border-radius: var(--_r);
  }
  .rtt {
    stroke: var(--ipo-network-test-rtt-color, var(--_a));
  }
  .jit {
    stroke: var(--ipo-network-test-jitter-color, var(--_ipo-held));
  }
  .loss {
    fill: var(--ipo-network-test-loss-color, var(--_ipo-danger));
  }
  .axis line {
    stroke: var(--_mu);
    stroke-width: 1;
  }
  .axis text {
    fill: var(--_mu);
    font-size: 9px;
  }
  .limits line {
    stroke-width: 1;
    stroke-dasharray: 4 3;
  }
  .limits .loss {
    stroke: var(--ipo-network-test-loss-color, var(--_ipo-danger));
  }
  [part~='limits'] {
    margin: 0;
    font-size: 0.85em;
    color: var(--_mu);
  }
  polyline {
    fill: none;
    stroke-width: 2;
    vector-effect: non-scaling-stroke;
  }
  [part~='legend'] {
    display: flex;
    gap: var(--_g);
    font-size: 0.85em;
    color: var(--_mu);
  }
  [part~='legend'] .rtt {
    color: var(--ipo-network-test-rtt-color, var(--_a));
  }
  [part~='legend'] .jit {
    color: var(--ipo-network-test-jitter-color, var(--_ipo-held));
  }
  [part~='legend'] .loss {
    color: var(--ipo-network-test-loss-color, var(--_ipo-danger));
  }
  [part~='verdict'] {
    font-weight: 600;
    margin: 0;
  }
  :host(:state(good)) [part~='verdict'] {
    color: var(--ipo-network-test-good-color, var(--_ipo-success));
  }
  :host(:state(poor)) [part~='verdict'] {
    color: var(--ipo-network-test-poor-color, var(--_ipo-danger));
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0 var(--_g);
    margin: 0;
  }
  dd {
    margin: 0;
  }
  progress {
    width: 100%;
  }
`;
