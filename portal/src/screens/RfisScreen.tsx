/** Requests for information (Teams consents): list and filter, update the relationship, create an account from a consent. */
import { Button, Field, Input, Select, Spinner, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, Text, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { GUID } from '../../../shared/contract/resources';
import { allOf, literal } from '../api/filters';
import { requestsForInformation, type RequestForInformation } from '../api/resources';
import { can } from '../auth/session';
import { CUSTOMER_RELATIONSHIP_STATUSES } from '../rules/rfiRules';
import { usePortal } from '../ui/context';
import { usePendingPoll } from '../ui/liveStatus';
import { Pager } from '../ui/Pager';
import { ProblemBar } from '../ui/ProblemBar';
import { navigate } from '../ui/router';
import { StatusBadge } from '../ui/StatusBadge';
import { AccountEditor } from './AccountEditor';
import { RelationshipDialog } from './RelationshipDialog';

const PAGE_SIZE = 25;
const useStyles = makeStyles({
  filters: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'end', marginBottom: tokens.spacingVerticalM },
  scroll: { overflowX: 'auto' },
  table: { minWidth: '640px' },
});

export function RfisScreen() {
  const styles = useStyles();
  const { api, session } = usePortal();
  const [tenant, setTenant] = useState('');
  const [consent, setConsent] = useState('');
  const [relationship, setRelationship] = useState('');
  const [page, setPage] = useState(0);
  const [updating, setUpdating] = useState<RequestForInformation | undefined>();
  const [creating, setCreating] = useState<RequestForInformation | undefined>();
  const tenantFilter = GUID.test(tenant.trim()) ? `tenantId eq ${literal(tenant.trim().toLowerCase())}` : undefined;
  const filter = allOf(
    tenantFilter,
    consent !== '' && `status eq ${literal(consent)}`,
    relationship !== '' && `customerRelationship/status eq ${literal(relationship)}`,
  );
  const poll = usePendingPoll((data: { value: RequestForInformation[] }) => data.value.map((r) => r.serviceProvisioningStatus));
  const list = useQuery({
    queryKey: ['rfis', filter, page],
    queryFn: () => requestsForInformation.list(api, { filter, skip: page * PAGE_SIZE, top: PAGE_SIZE, maxpagesize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => poll(q.state.data),
  });
  const rows = list.data?.value ?? [];
  const mayWrite = can(session, 'write');

  return (
    <section aria-labelledby="rfis-title">
      <Title2 block as="h1" id="rfis-title">
        Requests for information
      </Title2>
      <div className={styles.filters} role="search" aria-label="Filter requests for information">
        <Field label="Tenant ID" hint="The whole tenant GUID." validationMessage={tenant.trim() !== '' && !tenantFilter ? 'Enter a whole GUID.' : undefined}>
          <Input value={tenant} onChange={(_, d) => (setTenant(d.value), setPage(0))} />
        </Field>
        <Field label="Consent status">
          <Select value={consent} onChange={(_, d) => (setConsent(d.value), setPage(0))}>
            <option value="">Any</option>
            <option value="active">active</option>
            <option value="suspended">suspended</option>
            <option value="removed">removed</option>
          </Select>
        </Field>
        <Field label="Relationship status">
          <Select value={relationship} onChange={(_, d) => (setRelationship(d.value), setPage(0))}>
            <option value="">Any</option>
            {CUSTOMER_RELATIONSHIP_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </Select>
        </Field>
      </div>
      <ProblemBar error={list.error} />
      {list.isLoading && <Spinner label="Loading requests…" />}
      <div className={styles.scroll}>
        <Table aria-label="Requests for information" className={styles.table} size="small">
          <TableHeader>
            <TableRow>
              <TableHeaderCell>Tenant ID</TableHeaderCell>
              <TableHeaderCell>Company / contact</TableHeaderCell>
              <TableHeaderCell>Consent</TableHeaderCell>
              <TableHeaderCell>Relationship</TableHeaderCell>
              <TableHeaderCell>Account</TableHeaderCell>
              <TableHeaderCell>Sync</TableHeaderCell>
              <TableHeaderCell>Actions</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((rfi) => (
              <TableRow key={rfi.tenantId} data-tenant={rfi.tenantId}>
                <TableCell>{rfi.tenantId}</TableCell>
                <TableCell>{rfi.contacts?.map((c) => `${c.companyName ? `${c.companyName}: ` : ''}${c.fullName} <${c.email}>`).join('; ') ?? '—'}</TableCell>
                <TableCell>
                  {rfi.status ?? '—'}
                  {rfi.consentedCountries && rfi.consentedCountries.length > 0 ? ` (${rfi.consentedCountries.join(', ')})` : ''}
                </TableCell>
                <TableCell>
                  {rfi.customerRelationship?.status ?? '—'}
                  {rfi.customerRelationship?.comment ? ` — ${rfi.customerRelationship.comment}` : ''}
                </TableCell>
                <TableCell>{rfi.accountName || '—'}</TableCell>
                <TableCell>
                  <StatusBadge status={rfi.serviceProvisioningStatus} errors={rfi.serviceProvisioningErrors} />
                </TableCell>
                <TableCell>
                  {mayWrite && (
                    <>
                      <Button size="small" onClick={() => setUpdating(rfi)} aria-label={`Update relationship of ${rfi.tenantId}`}>
                        Update relationship
                      </Button>{' '}
                      {!rfi.accountName && (
                        <Button size="small" onClick={() => setCreating(rfi)} aria-label={`Create account for ${rfi.tenantId}`}>
                          Create account
                        </Button>
                      )}
                    </>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      {list.data && rows.length === 0 && <Text>No requests for information match.</Text>}
      <Pager label="Requests for information" page={page} pageSize={PAGE_SIZE} count={list.data?.count} shown={rows.length} onPage={setPage} />
      {updating && <RelationshipDialog rfi={updating} onClose={() => setUpdating(undefined)} />}
      {creating && (
        <AccountEditor
          prefill={{
            teamsTenantId: creating.tenantId,
            syncEnabled: true,
            enabled: { teamsOperatorConnect: true, teamsDirectRouting: false, teamsPhoneMobile: false, zoomPhoneCloudPeering: false, azureOperatorCallProtection: false },
          }}
          onClose={(saved) => {
            setCreating(undefined);
            if (saved) navigate({ screen: 'account', accountName: saved.name });
          }}
        />
      )}
    </section>
  );
}
