/** Gateway-wide number search (GET /numbers): an exact number or a prefix, across every account. */
import { Button, Field, Input, Spinner, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { literal, startsWith } from '../api/filters';
import { accounts, listAll, numbers, type GatewayNumber } from '../api/resources';
import { can } from '../auth/session';
import { downloadText, numbersToCsv } from '../csv/exportCsv';
import { usePortal } from '../ui/context';
import { usePendingPoll } from '../ui/liveStatus';
import { Pager } from '../ui/Pager';
import { ProblemBar } from '../ui/ProblemBar';
import { NumberEditor } from './NumberEditor';
import { NumbersTable } from './NumbersTable';

const PAGE_SIZE = 100;
const useStyles = makeStyles({ form: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'end', flexWrap: 'wrap', marginBottom: tokens.spacingVerticalM } });

/** A complete E.164 number is looked up exactly; anything shorter is a prefix. */
function filterFor(query: string): string | undefined {
  const text = query.trim();
  if (text === '') return undefined;
  return /^\+[1-9]\d{6,14}$/.test(text) ? `telephoneNumber eq ${literal(text)} or ${startsWith('telephoneNumber', text)}` : startsWith('telephoneNumber', text);
}

export function NumberSearchScreen() {
  const styles = useStyles();
  const { api, session } = usePortal();
  const [draft, setDraft] = useState('');
  const [query, setQuery] = useState('');
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState<GatewayNumber | undefined>();
  const filter = filterFor(query);
  const poll = usePendingPoll((data: { value: GatewayNumber[] }) => data.value.map((n) => n.serviceProvisioningStatus));
  const list = useQuery({
    queryKey: ['numbers', '*', filter, page],
    queryFn: () => numbers.listAll(api, { filter, skip: page * PAGE_SIZE, top: PAGE_SIZE, maxpagesize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => poll(q.state.data),
  });
  const owner = useQuery({ queryKey: ['account', editing?.accountName], queryFn: () => accounts.get(api, editing?.accountName ?? ''), enabled: editing !== undefined });
  const rows = list.data?.value ?? [];

  return (
    <section aria-labelledby="numbers-title">
      <Title2 block as="h1" id="numbers-title">
        Number search
      </Title2>
      <form
        className={styles.form}
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(draft);
          setPage(0);
        }}
      >
        <Field label="Number or prefix" hint="For example +14255550100, or +1425 for every number starting with it.">
          <Input value={draft} onChange={(_, d) => setDraft(d.value)} />
        </Field>
        <Button type="submit" appearance="primary">
          Search
        </Button>
        <Button onClick={() => void listAll(api, numbers.listAll(api, { filter, maxpagesize: 1000 })).then((all) => downloadText('numbers.csv', numbersToCsv(all)))}>Export CSV</Button>
      </form>
      <ProblemBar error={list.error} />
      {list.isLoading && <Spinner label="Searching…" />}
      <NumbersTable rows={rows} showAccount onEdit={can(session, 'write') ? setEditing : undefined} />
      {list.data && rows.length === 0 && <Text>No numbers match.</Text>}
      <Pager label="Numbers" page={page} pageSize={PAGE_SIZE} count={list.data?.count} shown={rows.length} onPage={setPage} />
      {editing && owner.data && <NumberEditor account={owner.data.body} telephoneNumber={editing.telephoneNumber} onClose={() => setEditing(undefined)} />}
      <ProblemBar error={owner.error} />
    </section>
  );
}
