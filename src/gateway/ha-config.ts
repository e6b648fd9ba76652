/**
 * The HA pair's configuration types (§5.4, §8.4), in a module of their own so that the gateway
 * and its login handling can both name them without importing each other.
 */
export type HaRole = 'primary' | 'secondary';
export type HaState = 'active' | 'passive';

export interface HaConfig {
  role: HaRole;
  /** the peer as advertised in haData.backupGateway */
  backup: { address: string; port: number };
  failoverSeconds: number;
  failbackSeconds: number;
}
