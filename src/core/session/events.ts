/** The events an IpoSession dispatches: `change` (every snapshot change) and `quality`. */
import type { Quality, QualityWarning } from '../../sdk/quality.js';
import type { SessionSnapshot } from '../snapshot.js';

/** Fired on the session whenever its snapshot changes. Never for high-frequency data. */
export class IpoSessionChangeEvent extends Event {
  static readonly type = 'change';
  constructor(
    readonly snapshot: SessionSnapshot,
    readonly previous: SessionSnapshot,
  ) {
    super(IpoSessionChangeEvent.type);
  }
}

/** One second of a talking call: the engine's figures and warnings (engines that can tell only). */
export type CallQualityReading = Omit<Quality, 'packets' | 'sound'> & {
  warnings: readonly QualityWarning[];
};

/** Fired about once a second per talking call, with its quality figures. */
export class IpoSessionQualityEvent extends Event {
  static readonly type = 'quality';
  constructor(
    readonly callId: string,
    readonly reading: CallQualityReading,
  ) {
    super(IpoSessionQualityEvent.type);
  }
}

export interface IpoSessionEventMap {
  change: IpoSessionChangeEvent;
  quality: IpoSessionQualityEvent;
}
