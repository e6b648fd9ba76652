/**
 * IpoElement: the base of every `ipo-*` element. `define()` that tolerates a second copy of the
 * kit, ElementInternals (custom states, role), a typed `emit()`, `strings` overrides and the
 * LocalizeController (reactive `lang`/`dir`).
 */
import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { LocalizeController } from '../i18n/localize.js';
import type { Translation } from '../i18n/translation.js';
import { warnOnce } from './warn.js';

/** The values of the `theme` attribute (docs/theming.md). */
export const THEMES = ['light', 'dark', 'auto'] as const;
export type Theme = (typeof THEMES)[number];

/** The kit's version (kept equal to package.json). */
export const VERSION = '0.1.0';

export { warnOnce };

export class IpoElement extends LitElement {
  /** The kit version that defined this class. */
  static readonly version: string = VERSION;

  /** Defines the tag unless it is taken; warns when another kit version took it. */
  static define(tag: string): void {
    const taken = customElements.get(tag) as { version?: string } | undefined;
    if (!taken) customElements.define(tag, this);
    else if (taken.version !== this.version) {
      warnOnce(
        `<${tag}> is already defined by version ${taken.version ?? '?'}; ${this.version} is not used.`,
      );
    }
  }

  /**
   * Overrides for visible strings, by Translation key (e.g. `{ call: 'Dial' }`); they win over the
   * language's table and over `<template data-ipo-strings>` in the markup (docs/i18n.md).
   */
  @property({ attribute: false }) strings?: Partial<Translation>;

  /**
   * `light`, `dark` or `auto` (follows the system's dark mode). Elements inside inherit it (set it
   * once on `<ipo-session>`); without one anywhere they follow the page's `color-scheme`.
   */
  @property({ reflect: true }) theme?: Theme;

  protected readonly internals: ElementInternals = this.attachInternals();
  protected readonly localize = new LocalizeController(this);

  /** The first render waits for the language's translation (no flash of English). */
  protected override scheduleUpdate(): void | Promise<unknown> {
    const ready = this.localize.ready;
    return ready ? ready.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  // update(), not willUpdate(): the components override willUpdate without calling super
  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    if (changed.has('theme') && this.theme && !THEMES.includes(this.theme)) {
      warnOnce(`theme="${this.theme}" is not a theme; use ${THEMES.join(', ')}.`);
    }
  }

  /** Dispatches an event from the host; returns false when a cancelable one was vetoed. */
  protected emit<E extends HTMLElementEventMap[keyof HTMLElementEventMap]>(event: E): boolean {
    return this.dispatchEvent(event);
  }

  /** Exposes the host as a group with this accessible name (through ElementInternals). */
  protected setGroupLabel(name: string): void {
    this.internals.role = 'group';
    this.internals.ariaLabel = name;
  }

  /** Sets or clears custom states (`:state(name)`). */
  protected setStates(states: Record<string, boolean>): void {
    for (const [name, on] of Object.entries(states)) {
      if (on) this.internals.states.add(name);
      else this.internals.states.delete(name);
    }
  }
}
