/**
 * CSV import: the file is parsed and every row validated in the browser first (problems shown per
 * row and column, nothing sent); then the valid rows go out in batches of 100, 4 at a time, with a
 * progress bar, a result per row, retry of the failed rows only, and cancel.
 */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Label,
  MessageBar,
  MessageBarBody,
  ProgressBar,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { Account } from '../api/resources';
import { parseNumbersCsv, type CsvParseResult, type CsvRow } from '../csv/parseRows';
import { NOT_WRITTEN_WITH_BATCH, uploadNumbers, type RowOutcome } from '../csv/upload';
import { accountDocOf } from '../rules/accountRules';
import { usePortal } from '../ui/context';
import { useDialogClose } from '../ui/useDialogClose';
import { VirtualList } from '../ui/VirtualList';
import { CsvHelp } from './CsvHelp';

const useStyles = makeStyles({
  surface: { maxWidth: '760px', width: '100%' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  file: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

export function CsvImportDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const styles = useStyles();
  const { api } = usePortal();
  const queryClient = useQueryClient();
  const dialog = useDialogClose(onClose);
  const [fileName, setFileName] = useState('');
  const [parsed, setParsed] = useState<CsvParseResult | undefined>();
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, RowOutcome>>(new Map());
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [running, setRunning] = useState(false);
  const abort = useRef<AbortController | undefined>(undefined);

  const readFile = async (file: File | undefined) => {
    setOutcomes(new Map());
    setProgress(undefined);
    if (!file) return setParsed(undefined);
    setFileName(file.name);
    setParsed(parseNumbersCsv(await file.text(), account.name, accountDocOf(account)));
  };

  const rows = parsed?.ok ? parsed.rows : [];
  const bad = rows.filter((r) => r.problems.length > 0);
  const good = rows.filter((r): r is CsvRow & { number: NonNullable<CsvRow['number']> } => r.number !== undefined);
  const failed = good.filter((r) => {
    const o = outcomes.get(r.number.telephoneNumber);
    return o !== undefined && o.state !== 'sent';
  });
  const sent = good.filter((r) => outcomes.get(r.number.telephoneNumber)?.state === 'sent').length;
  // Rows refused for their own reason first; those that only shared a refused batch after them.
  const ownReasonFirst = [...failed].sort((a, b) => Number(messageOf(a) === NOT_WRITTEN_WITH_BATCH) - Number(messageOf(b) === NOT_WRITTEN_WITH_BATCH));
  function messageOf(row: (typeof good)[number]): string {
    const o = outcomes.get(row.number.telephoneNumber);
    return o?.state === 'failed' ? o.message : (o?.state ?? '');
  }

  const send = async (which: typeof good) => {
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setProgress({ done: 0, total: which.length });
    const previous = new Map(outcomes);
    const result = await uploadNumbers(api, account.name, which.map((r) => r.number), (p, partial) => {
      setProgress(p);
      setOutcomes(new Map([...previous, ...partial]));
    }, controller.signal);
    setOutcomes(new Map([...previous, ...result]));
    setRunning(false);
    await queryClient.invalidateQueries({ queryKey: ['numbers', account.name] });
    await queryClient.invalidateQueries({ queryKey: ['account', account.name] });
  };

  return (
    <Dialog open={dialog.open} modalType="modal" onOpenChange={(_, d) => !d.open && !running && dialog.close()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Import numbers into {account.name} from CSV</DialogTitle>
          <DialogContent className={styles.content}>
            <CsvHelp />
            <div className={styles.file}>
              <Label htmlFor="csv-file">CSV file</Label>
              <input id="csv-file" type="file" accept=".csv,text/csv" data-testid="csv-file" aria-describedby="csv-file-hint" onChange={(e) => void readFile(e.target.files?.[0])} />
              <Text id="csv-file-hint" size={200}>
                {fileName ? `Selected: ${fileName}. ` : ''}Nothing is sent until you choose to.
              </Text>
            </div>
            {parsed && !parsed.ok && (
              <MessageBar intent="error" role="alert">
                <MessageBarBody>
                  {parsed.fileProblems.map((p) => (
                    <div key={p}>{p}</div>
                  ))}
                </MessageBarBody>
              </MessageBar>
            )}
            {parsed?.ok && (
              <Text data-testid="csv-summary" aria-live="polite">
                {rows.length} rows read: {good.length} valid, {bad.length} with problems.
              </Text>
            )}
            {bad.length > 0 && (
              <section aria-label="Rows with problems" data-testid="csv-problems">
                <Text weight="semibold">Rows with problems (they will not be sent):</Text>
                <VirtualList
                  label="Rows with problems"
                  items={bad.flatMap((r) => r.problems.map((p) => ({ line: r.line, number: r.cells.telephoneNumber ?? '', ...p })))}
                  render={(p) => (
                    <span data-line={p.line} data-column={p.column}>
                      Line {p.line} {p.number} — <code>{p.column}</code>: {p.message}
                    </span>
                  )}
                />
              </section>
            )}
            {progress && (
              <Field label={`Sent ${progress.done} of ${progress.total}`}>
                <ProgressBar value={progress.total === 0 ? 1 : progress.done / progress.total} aria-label="Import progress" />
              </Field>
            )}
            {outcomes.size > 0 && !running && (
              <Text data-testid="csv-result" aria-live="polite">
                {sent} numbers imported, {failed.length} not imported.
              </Text>
            )}
            {failed.length > 0 && !running && (
              <VirtualList
                label="Rows not imported"
                items={ownReasonFirst}
                render={(r) => (
                  <span>
                    Line {r.line} {r.number.telephoneNumber}: {messageOf(r)}
                  </span>
                )}
              />
            )}
          </DialogContent>
          <DialogActions>
            {!running && outcomes.size === 0 && (
              <Button appearance="primary" disabled={good.length === 0} onClick={() => void send(good)}>
                Send {good.length} valid rows
              </Button>
            )}
            {!running && failed.length > 0 && (
              <Button appearance="primary" onClick={() => void send(failed)}>
                Retry {failed.length} failed rows
              </Button>
            )}
            {running && <Button onClick={() => abort.current?.abort()}>Cancel</Button>}
            <Button disabled={running} onClick={() => dialog.close()}>
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
