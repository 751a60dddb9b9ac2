/** A page of numbers: services, custom header, live status; optional row selection and edit. */
import { Button, Checkbox, Link, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles } from '@fluentui/react-components';
import { SERVICES } from '../../../shared/domain/services';
import type { GatewayNumber } from '../api/resources';
import { SERVICE_LABELS } from '../rules/accountRules';
import { hrefOf, navigate } from '../ui/router';
import { StatusBadge } from '../ui/StatusBadge';

const useStyles = makeStyles({ scroll: { overflowX: 'auto' }, table: { minWidth: '640px' } });

export interface Selection {
  readonly selected: ReadonlySet<string>;
  toggle(telephoneNumber: string, on: boolean): void;
  setAll(on: boolean): void;
}

export function NumbersTable({ rows, selection, onEdit, showAccount }: { rows: readonly GatewayNumber[]; selection?: Selection; onEdit?: (n: GatewayNumber) => void; showAccount?: boolean }) {
  const styles = useStyles();
  const allSelected = selection !== undefined && rows.length > 0 && rows.every((r) => selection.selected.has(r.telephoneNumber));
  const someSelected = selection !== undefined && rows.some((r) => selection.selected.has(r.telephoneNumber));
  return (
    <div className={styles.scroll}>
      <Table aria-label="Numbers" className={styles.table} size="small">
        <TableHeader>
          <TableRow>
            {selection && (
              <TableHeaderCell>
                <Checkbox aria-label="Select every number on this page" checked={allSelected ? true : someSelected ? 'mixed' : false} onChange={(_, d) => selection.setAll(d.checked === true)} />
              </TableHeaderCell>
            )}
            <TableHeaderCell>Number</TableHeaderCell>
            {showAccount && <TableHeaderCell>Account</TableHeaderCell>}
            <TableHeaderCell>Services</TableHeaderCell>
            <TableHeaderCell>Custom header</TableHeaderCell>
            <TableHeaderCell>Status</TableHeaderCell>
            {onEdit && <TableHeaderCell>Actions</TableHeaderCell>}
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((n) => (
            <TableRow key={n.telephoneNumber} data-number={n.telephoneNumber}>
              {selection && (
                <TableCell>
                  <Checkbox aria-label={`Select ${n.telephoneNumber}`} checked={selection.selected.has(n.telephoneNumber)} onChange={(_, d) => selection.toggle(n.telephoneNumber, d.checked === true)} />
                </TableCell>
              )}
              <TableCell>{n.telephoneNumber}</TableCell>
              {showAccount && (
                <TableCell>
                  <Link
                    href={hrefOf({ screen: 'account', accountName: n.accountName })}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ screen: 'account', accountName: n.accountName });
                    }}
                  >
                    {n.accountName}
                  </Link>
                </TableCell>
              )}
              <TableCell>
                {SERVICES.filter((s) => n.serviceDetails[s]?.enabled)
                  .map((s) => SERVICE_LABELS[s])
                  .join(', ')}
              </TableCell>
              <TableCell data-testid="custom-header">{n.configuration?.customSipHeader ?? '—'}</TableCell>
              <TableCell>
                <StatusBadge status={n.serviceProvisioningStatus} errors={n.serviceProvisioningErrors} />
              </TableCell>
              {onEdit && (
                <TableCell>
                  <Button size="small" onClick={() => onEdit(n)} aria-label={`Edit ${n.telephoneNumber}`}>
                    Edit
                  </Button>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
