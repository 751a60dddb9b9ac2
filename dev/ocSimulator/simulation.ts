/**
 * One simulated Operator Connect: state, virtual clock, knobs, counters, faults and throttle. Orders
 * advance lazily: every call (HTTP or programmatic) first settles the orders due by "now", in time
 * order, so results are the same whether time moved in one jump or in many small steps.
 */
import { randomBytes } from 'node:crypto';
import type { VirtualClock } from './clock';
import { CallCounters } from './counters';
import { FaultInjector } from './faults';
import { emptyState, type SimState } from './model';
import { processDueOrders } from './orderProcessing';
import { SIM_OPERATOR_ID, SIM_OPERATOR_TENANT_ID, seedCustomers, seedOperator } from './seed';
import type { OcSimSettings } from './settings';
import { TokenBucketThrottle } from './throttle';

export interface SimulationOptions {
  readonly clock: VirtualClock;
  readonly settings: OcSimSettings;
  /** `/oc/v1`: leading slash, no trailing slash ('' for none). */
  readonly apiPrefix: string;
  readonly seed: boolean;
}

export class Simulation {
  readonly clock: VirtualClock;
  readonly apiPrefix: string;
  readonly counters = new CallCounters();
  readonly faults = new FaultInjector();
  readonly throttle = new TokenBucketThrottle();
  /** HS256 key of this instance's tokens; kept across reset() so issued tokens stay verifiable. */
  readonly signingKey = randomBytes(32);
  settings: OcSimSettings;
  state: SimState;
  /** Origin the server listens on, set once it does (absolute Location and nextLink URLs). */
  url = '';
  private readonly initialSettings: OcSimSettings;
  private readonly seedByDefault: boolean;

  constructor(options: SimulationOptions) {
    this.clock = options.clock;
    this.apiPrefix = options.apiPrefix;
    this.settings = options.settings;
    this.initialSettings = options.settings;
    this.seedByDefault = options.seed;
    this.state = this.freshState(options.seed);
  }

  get apiBaseUrl(): string {
    return `${this.url}${this.apiPrefix}`;
  }

  /** Processes every order step due by now; returns that now for the caller to use consistently. */
  settle(): number {
    const now = this.clock.now();
    processDueOrders(this, now);
    return now;
  }

  /** Back to the initial (seeded) world and settings; faults, counters and throttle emptied; time keeps going. */
  reset(seed = this.seedByDefault): void {
    this.state = this.freshState(seed);
    this.settings = this.initialSettings;
    this.faults.clear();
    this.counters.reset();
    this.throttle.reset();
  }

  private freshState(seed: boolean): SimState {
    const state = emptyState(SIM_OPERATOR_ID, SIM_OPERATOR_TENANT_ID);
    seedOperator(state);
    if (seed) seedCustomers(state, this.clock.now());
    return state;
  }
}
