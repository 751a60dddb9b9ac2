/**
 * Dialogs close (open = false, with their exit motion) before the parent unmounts them, so Fluent's
 * own close path runs; the parent's `onClosed` runs once the dialog has finished closing.
 */
import { useEffect, useRef, useState } from 'react';

const CLOSE_SETTLE_MS = 250;

export function useDialogClose<T = void>(onClosed: (result?: T) => void): { open: boolean; close: (result?: T) => void } {
  const [open, setOpen] = useState(true);
  const result = useRef<T | undefined>(undefined);
  const callback = useRef(onClosed);
  callback.current = onClosed;
  useEffect(() => {
    if (open) return;
    const timer = setTimeout(() => callback.current(result.current), CLOSE_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [open]);
  return {
    open,
    close: (value?: T) => {
      result.current = value;
      setOpen(false);
    },
  };
}
