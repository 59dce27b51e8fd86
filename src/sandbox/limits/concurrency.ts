// At most N sandboxes at once, counted as leases in the shared store so that several windows or CLI
// processes see each other's runs. A lease expires with its sandbox's lifetime, so a process that died
// mid-run cannot hold a slot for ever.

export interface LeaseState {
  /** Run id → when its sandbox's lifetime ends (ms since the epoch). */
  leases: Record<string, number>;
}

export function liveLeases(state: LeaseState, now: number): LeaseState {
  return {
    leases: Object.fromEntries(Object.entries(state.leases).filter(([, expiresAt]) => expiresAt > now)),
  };
}

export function addLease(state: LeaseState, id: string, expiresAt: number, now: number): LeaseState {
  return { leases: { ...liveLeases(state, now).leases, [id]: expiresAt } };
}

export function removeLease(state: LeaseState, id: string, now: number): LeaseState {
  const { [id]: _removed, ...rest } = liveLeases(state, now).leases;
  return { leases: rest };
}

/** When the next slot frees at the latest (the earliest lease expiry). */
export function nextLeaseExpiry(state: LeaseState): number | undefined {
  const times = Object.values(state.leases);
  return times.length === 0 ? undefined : Math.min(...times);
}
