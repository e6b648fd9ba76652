import { css } from 'lit';

export const phoneStyles = css`
  :host {
    max-width: var(--ipo-phone-width, 24rem);
  }
  [part~='base'] {
    padding: var(--_g);
    border: 1px solid var(--_bd);
    border-radius: var(--_r);
  }
  form,
  ul {
    display: grid;
    gap: var(--_g);
    margin: 0;
    padding: 0;
  }
  [part~='status'] {
    justify-content: space-between;
    align-items: center;
  }
  [part~='error'] {
    color: var(--ipo-danger, #b42318);
    align-items: center;
    justify-content: space-between;
  }
  [part~='dialpad'] {
    display: grid;
    grid-template-columns: repeat(3, 1fr);
    gap: 0.25rem;
  }
  [part~='dialpad__key'] {
    font-size: 1.15em;
  }
  [part~='call'] {
    list-style: none;
    display: grid;
    gap: 0.3rem;
    padding: var(--_g);
    border: 1px solid var(--_bd);
    border-radius: var(--_r);
  }
  .ring {
    animation: ipo-ring 0.8s ease-in-out infinite alternate;
  }
  @keyframes ipo-ring {
    to {
      box-shadow: 0 0 0 3px var(--_a);
    }
  }
  [part~='progress'] {
    width: 4em;
  }
  [part~='quality'] {
    display: inline-flex;
    align-items: end;
    gap: 1px;
    height: 0.9em;
  }
  [part~='quality'] i {
    width: 0.25em;
    height: 40%;
    background: var(--ipo-quality-off, #d0d7de);
  }
  [part~='quality'] i + i {
    height: 70%;
  }
  [part~='quality'] i + i + i {
    height: 100%;
  }
  .good i,
  .fair i:not(:last-child),
  .poor i:first-child {
    background: var(--ipo-quality-on, currentColor);
  }
  .poor {
    color: var(--ipo-danger, #b42318);
  }
  [aria-disabled='true'] {
    opacity: 0.6;
    cursor: default;
  }
`;
