/** Previous / next over server pages (skip + top), with the record count the API reports. */
import { Button, Text } from '@fluentui/react-components';

export function Pager({ page, pageSize, count, shown, onPage, label }: { page: number; pageSize: number; count: number | undefined; shown: number; onPage: (page: number) => void; label: string }) {
  const first = page * pageSize + (shown > 0 ? 1 : 0);
  const last = page * pageSize + shown;
  const hasNext = count !== undefined ? last < count : shown === pageSize;
  return (
    <nav aria-label={`${label} pages`} style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 8 }}>
      <Button disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </Button>
      <Text aria-live="polite">
        {first}–{last}
        {count !== undefined ? ` of ${count}` : ''}
      </Text>
      <Button disabled={!hasNext} onClick={() => onPage(page + 1)}>
        Next
      </Button>
    </nav>
  );
}
