/**
 * One account and its numbers: account facts (services, tenant, Direct Routing FQDNs and subdomain
 * status, provisioning errors), then the numbers with filters, paging, live status, bulk select and
 * delete, add (one / list / range), CSV import and export, and per-number edit.
 */
import {
  Button,
  Field,
  Input,
  Link,
  Spinner,
  Text,
  Title2,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SERVICES, type ServiceName } from '../../../shared/domain/services';
import { allOf, serviceEnabled, startsWith, statusIs } from '../api/filters';
import { accounts, listAll, numbers, type GatewayNumber } from '../api/resources';
import { can } from '../auth/session';
import { downloadText, numbersToCsv } from '../csv/exportCsv';
import { SERVICE_LABELS, directRoutingFqdns } from '../rules/accountRules';
import { usePortal } from '../ui/context';
import { ServiceFilter, StatusFilter } from '../ui/Filters';
import { usePendingPoll } from '../ui/liveStatus';
import { Pager } from '../ui/Pager';
import { ProblemBar } from '../ui/ProblemBar';
import { hrefOf, navigate } from '../ui/router';
import { StatusBadge } from '../ui/StatusBadge';
import { AccountEditor } from './AccountEditor';
import { AddNumbersDialog } from './AddNumbersDialog';
import { CsvImportDialog } from './CsvImportDialog';
import { NumberEditor } from './NumberEditor';
import { NumbersTable } from './NumbersTable';

const PAGE_SIZE = 50;

const useStyles = makeStyles({
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, margin: `${tokens.spacingVerticalS} 0` },
  facts: { display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: tokens.spacingHorizontalL, rowGap: tokens.spacingVerticalXS, margin: `${tokens.spacingVerticalM} 0` },
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end', marginBottom: tokens.spacingVerticalM },
});

export function AccountDetailScreen({ accountName }: { accountName: string }) {
  const styles = useStyles();
  const { api, session, config } = usePortal();
  const queryClient = useQueryClient();
  const [service, setService] = useState<ServiceName | ''>('');
  const [status, setStatus] = useState('');
  const [prefix, setPrefix] = useState('');
  const [page, setPage] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [dialog, setDialog] = useState<'add' | 'csv' | 'edit-account' | { number: string } | undefined>();
  const [exporting, setExporting] = useState<number | undefined>();

  const accountPoll = usePendingPoll((data: { body: { serviceProvisioningStatus?: string } }) => [data.body.serviceProvisioningStatus]);
  const account = useQuery({ queryKey: ['account', accountName], queryFn: () => accounts.get(api, accountName), refetchInterval: (q) => accountPoll(q.state.data) });
  const filter = allOf(serviceEnabled(service), statusIs(status), startsWith('telephoneNumber', prefix));
  const numberPoll = usePendingPoll((data: { value: GatewayNumber[] }) => data.value.map((n) => n.serviceProvisioningStatus));
  const list = useQuery({
    queryKey: ['numbers', accountName, filter, page],
    queryFn: () => numbers.listOfAccount(api, accountName, { filter, skip: page * PAGE_SIZE, top: PAGE_SIZE, maxpagesize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => numberPoll(q.state.data),
  });
  const bulkDelete = useMutation({
    mutationFn: async (chosen: string[]) => {
      for (let i = 0; i < chosen.length; i += 100) await numbers.remove(api, accountName, chosen.slice(i, i + 100));
    },
    onSuccess: async () => {
      setSelected(new Set());
      await queryClient.invalidateQueries({ queryKey: ['numbers', accountName] });
      await queryClient.invalidateQueries({ queryKey: ['account', accountName] });
    },
  });

  const exportCsv = async () => {
    setExporting(0);
    try {
      const all = await listAll(api, numbers.listOfAccount(api, accountName, { filter, maxpagesize: 1000 }), setExporting);
      downloadText(`${accountName}-numbers.csv`, numbersToCsv(all));
    } finally {
      setExporting(undefined);
    }
  };

  const a = account.data?.body;
  const rows = list.data?.value ?? [];
  const mayWrite = can(session, 'write');
  const mayDelete = can(session, 'delete');
  const dr = a?.serviceDetails?.teamsDirectRouting;
  const fqdns = dr?.configuration ? directRoutingFqdns(dr.configuration.subdomain, config.drBaseDomain) : undefined;
  const resetPage = () => {
    setPage(0);
    setSelected(new Set());
  };

  return (
    <section aria-labelledby="account-title">
      <p>
        <Link
          href={hrefOf({ screen: 'accounts' })}
          onClick={(e) => {
            e.preventDefault();
            navigate({ screen: 'accounts' });
          }}
        >
          ← All accounts
        </Link>
      </p>
      <Title2 block as="h1" id="account-title">
        Account {accountName}
      </Title2>
      <ProblemBar error={account.error} />
      {account.isLoading && <Spinner label="Loading the account…" />}
      {a && (
        <>
          <dl className={styles.facts}>
            <dt>Status</dt>
            <dd>
              <StatusBadge status={a.serviceProvisioningStatus} errors={a.serviceProvisioningErrors} />
            </dd>
            <dt>Services</dt>
            <dd>
              {SERVICES.filter((s) => a.serviceDetails?.[s]?.enabled)
                .map((s) => `${SERVICE_LABELS[s]} (${a.serviceDetails?.[s]?.numberCount ?? 0} numbers)`)
                .join(', ') || 'none'}
            </dd>
            <dt>Teams tenant</dt>
            <dd>{a.serviceDetails?.teamsTenantId ?? '—'}</dd>
            {a.correlationId && (
              <>
                <dt>Correlation ID</dt>
                <dd>{a.correlationId}</dd>
              </>
            )}
            {dr?.configuration && (
              <>
                <dt>Direct Routing FQDNs</dt>
                <dd data-testid="account-fqdns">{fqdns?.join(', ')}</dd>
                <dt>Subdomain status</dt>
                <dd data-testid="subdomain-status">{dr.subdomainStatus ?? '—'}</dd>
                <dt>Call screening</dt>
                <dd>{dr.configuration.callScreening ? 'on' : 'off'}</dd>
              </>
            )}
          </dl>
          {mayWrite && <Button onClick={() => setDialog('edit-account')}>Edit account</Button>}
        </>
      )}
      <Title3 block as="h2">Numbers</Title3>
      <div className={styles.actions} role="group" aria-label="Number actions">
        {mayWrite && a && (
          <>
            <Button appearance="primary" onClick={() => setDialog('add')}>
              Add numbers
            </Button>
            <Button onClick={() => setDialog('csv')}>Import CSV</Button>
          </>
        )}
        <Button onClick={() => void exportCsv()} disabled={exporting !== undefined}>
          {exporting !== undefined ? `Exporting… ${exporting}` : 'Export CSV'}
        </Button>
        {mayDelete && (
          <Button disabled={selected.size === 0 || bulkDelete.isPending} onClick={() => bulkDelete.mutate([...selected])}>
            {bulkDelete.isPending ? 'Deleting…' : `Delete selected (${selected.size})`}
          </Button>
        )}
      </div>
      <div className={styles.filters} role="search" aria-label="Filter numbers">
        <ServiceFilter id="numbers-service" value={service} onChange={(v) => (setService(v), resetPage())} />
        <StatusFilter id="numbers-status" value={status} onChange={(v) => (setStatus(v), resetPage())} />
        <Field label="Number prefix">
          <Input value={prefix} placeholder="+1425" onChange={(_, d) => (setPrefix(d.value), resetPage())} />
        </Field>
      </div>
      <ProblemBar error={list.error ?? bulkDelete.error} />
      {list.isLoading && <Spinner label="Loading numbers…" />}
      <NumbersTable
        rows={rows}
        selection={
          mayDelete
            ? {
                selected,
                toggle: (n, on) => setSelected((s) => (on ? new Set([...s, n]) : new Set([...s].filter((x) => x !== n)))),
                setAll: (on) => setSelected(on ? new Set(rows.map((r) => r.telephoneNumber)) : new Set()),
              }
            : undefined
        }
        onEdit={mayWrite ? (n) => setDialog({ number: n.telephoneNumber }) : undefined}
      />
      {list.data && rows.length === 0 && <Text>No numbers match.</Text>}
      <Pager label="Numbers" page={page} pageSize={PAGE_SIZE} count={list.data?.count} shown={rows.length} onPage={(p) => (setPage(p), setSelected(new Set()))} />
      {a && dialog === 'add' && <AddNumbersDialog account={a} onClose={() => setDialog(undefined)} />}
      {a && dialog === 'csv' && <CsvImportDialog account={a} onClose={() => setDialog(undefined)} />}
      {a && dialog === 'edit-account' && <AccountEditor existing={{ account: a, etag: account.data?.etag }} onClose={() => setDialog(undefined)} />}
      {a && typeof dialog === 'object' && <NumberEditor account={a} telephoneNumber={dialog.number} onClose={() => setDialog(undefined)} />}
    </section>
  );
}
