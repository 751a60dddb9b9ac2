/** A long list (up to 10,000 CSV rows) rendered through @tanstack/react-virtual: only visible rows are in the DOM. */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, type ReactNode } from 'react';

export function VirtualList<T>({ items, label, render, rowHeight = 44, height = 264 }: { items: readonly T[]; label: string; render: (item: T) => ReactNode; rowHeight?: number; height?: number }) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => parent.current, estimateSize: () => rowHeight, overscan: 10 });
  return (
    // Focusable so keyboard users can scroll it.
    <div ref={parent} tabIndex={0} role="region" aria-label={label} style={{ height: Math.min(height, items.length * rowHeight + 4), overflowY: 'auto', border: '1px solid #d1d1d1' }}>
      <ul style={{ height: virtualizer.getTotalSize(), position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}>
        {virtualizer.getVirtualItems().map((row) => (
          <li key={row.key} style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: row.size, transform: `translateY(${row.start}px)`, padding: '2px 8px', boxSizing: 'border-box', overflow: 'hidden', lineHeight: '20px' }}>
            {render(items[row.index] as T)}
          </li>
        ))}
      </ul>
    </div>
  );
}
