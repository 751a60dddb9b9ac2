/** Accounts: search by name prefix, filter by service and status, server paging, status badges, create / edit / delete. */
import {
  Button,
  Field,
  Input,
  Link,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SERVICES, type ServiceName } from '../../../shared/domain/services';
import { allOf, serviceEnabled, startsWith, statusIs } from '../api/filters';
import { accounts, type Account } from '../api/resources';
import { can } from '../auth/session';
import { SERVICE_LABELS } from '../rules/accountRules';
import { usePortal } from '../ui/context';
import { ServiceFilter, StatusFilter } from '../ui/Filters';
import { usePendingPoll } from '../ui/liveStatus';
import { Pager } from '../ui/Pager';
import { ProblemBar } from '../ui/ProblemBar';
import { hrefOf, navigate } from '../ui/router';
import { StatusBadge } from '../ui/StatusBadge';
import { AccountEditor } from './AccountEditor';
import { DeleteAccountDialog } from './DeleteAccountDialog';

const PAGE_SIZE = 25;

const useStyles = makeStyles({
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, margin: `${tokens.spacingVerticalS} 0` },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end', marginBottom: tokens.spacingVerticalM },
  table: { minWidth: '600px' },
  scroll: { overflowX: 'auto' },
});

export function AccountsScreen() {
  const styles = useStyles();
  const { api, session } = usePortal();
  const [search, setSearch] = useState('');
  const [service, setService] = useState<ServiceName | ''>('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(0);
  const [editing, setEditing] = useState<{ account: Account; etag: string | undefined } | 'new' | undefined>();
  const [deleting, setDeleting] = useState<Account | undefined>();
  const filter = allOf(startsWith('name', search), serviceEnabled(service), statusIs(status));
  const poll = usePendingPoll((data: { value: Account[] }) => data.value.map((a) => a.serviceProvisioningStatus));
  const list = useQuery({
    queryKey: ['accounts', filter, page],
    queryFn: () => accounts.list(api, { filter, skip: page * PAGE_SIZE, top: PAGE_SIZE, maxpagesize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => poll(query.state.data),
  });
  const openEditor = async (name: string) => {
    const current = await accounts.get(api, name);
    setEditing({ account: current.body, etag: current.etag });
  };
  const mayWrite = can(session, 'write');
  const mayDelete = can(session, 'delete');

  return (
    <section aria-labelledby="accounts-title">
      <Title2 block as="h1" id="accounts-title">
        Accounts
      </Title2>
      <div className={styles.actions} role="group" aria-label="Account actions">
        {mayWrite && (
          <Button appearance="primary" onClick={() => setEditing('new')}>
            Create account
          </Button>
        )}
      </div>
      <div className={styles.filters} role="search" aria-label="Filter accounts">
        <Field label="Search by name">
          <Input
            value={search}
            placeholder="Name starts with…"
            onChange={(_, d) => {
              setSearch(d.value);
              setPage(0);
            }}
          />
        </Field>
        <ServiceFilter id="accounts-service" value={service} onChange={(v) => (setService(v), setPage(0))} />
        <StatusFilter id="accounts-status" value={status} onChange={(v) => (setStatus(v), setPage(0))} />
      </div>
      <ProblemBar error={list.error} />
      {list.isLoading && <Spinner label="Loading accounts…" />}
      <div className={styles.scroll}>
        <Table aria-label="Accounts" className={styles.table}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Name</TableHeaderCell>
              <TableHeaderCell>Services</TableHeaderCell>
              <TableHeaderCell>Teams tenant</TableHeaderCell>
              <TableHeaderCell>Status</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {(list.data?.value ?? []).map((account) => (
              <TableRow key={account.name} data-account={account.name}>
                <TableCell>
                  <Link
                    href={hrefOf({ screen: 'account', accountName: account.name })}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ screen: 'account', accountName: account.name });
                    }}
                  >
                    {account.name}
                  </Link>
                </TableCell>
                <TableCell>
                  {SERVICES.filter((s) => account.serviceDetails?.[s]?.enabled)
                    .map((s) => SERVICE_LABELS[s])
                    .join(', ') || '—'}
                </TableCell>
                <TableCell>{account.serviceDetails?.teamsTenantId ?? '—'}</TableCell>
                <TableCell>
                  <StatusBadge status={account.serviceProvisioningStatus} errors={account.serviceProvisioningErrors} />
                </TableCell>
                <TableCell>
                  {mayWrite && (
                    <Button size="small" onClick={() => void openEditor(account.name)} aria-label={`Edit ${account.name}`}>
                      Edit
                    </Button>
                  )}{' '}
                  {mayDelete && (
                    <Button size="small" onClick={() => setDeleting(account)} aria-label={`Delete ${account.name}`}>
                      Delete
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {list.data && list.data.value.length === 0 && <p>No accounts match.</p>}
      <Pager label="Accounts" page={page} pageSize={PAGE_SIZE} count={list.data?.count} shown={list.data?.value.length ?? 0} onPage={setPage} />
      {editing && <AccountEditor existing={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} />}
      {deleting && <DeleteAccountDialog account={deleting} onClose={() => setDeleting(undefined)} />}
    </section>
  );
}
