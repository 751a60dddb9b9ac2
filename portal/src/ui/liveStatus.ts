/**
 * Polling while something is pending: 1 s, then doubling up to 15 s while nothing changes, back to
 * 1 s when a status moves; no polling at all once nothing is pending (TanStack Query refetchInterval).
 */
import { useRef } from 'react';

const FIRST_MS = 1_000;
const MAX_MS = 15_000;

export function usePendingPoll<T>(statusesOf: (data: T) => readonly (string | undefined)[]): (data: T | undefined) => number | false {
  const state = useRef({ delay: FIRST_MS, last: '' });
  return (data) => {
    if (data === undefined) return false;
    const statuses = statusesOf(data);
    if (!statuses.includes('pending')) {
      state.current = { delay: FIRST_MS, last: '' };
      return false;
    }
    const fingerprint = statuses.join(',');
    state.current.delay = fingerprint === state.current.last ? Math.min(state.current.delay * 2, MAX_MS) : FIRST_MS;
    state.current.last = fingerprint;
    return state.current.delay;
  };
}
