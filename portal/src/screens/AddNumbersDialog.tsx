/** Add one number, a pasted list or a range, with the same settings for all; checked before sending. */
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  ProgressBar,
  Radio,
  RadioGroup,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Account } from '../api/resources';
import { uploadNumbers } from '../csv/upload';
import { accountDocOf } from '../rules/accountRules';
import { byTarget, type FieldErrors } from '../rules/fieldErrors';
import { expandRange, numberProblems, parseNumberList } from '../rules/numberRules';
import { emptyNumberSettings, numberBody, type NumberSettings } from '../rules/numberSettings';
import { usePortal } from '../ui/context';
import { GroupError } from '../ui/GroupError';
import { useDialogClose } from '../ui/useDialogClose';
import { NumberSettingsFields } from './NumberSettingsFields';

type Mode = 'single' | 'list' | 'range';

const useStyles = makeStyles({
  surface: { maxWidth: '640px', width: '100%' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  range: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  rangeGroup: { border: 'none', padding: 0, margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

export function AddNumbersDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const styles = useStyles();
  const { api } = usePortal();
  const queryClient = useQueryClient();
  const dialog = useDialogClose(onClose);
  const [mode, setMode] = useState<Mode>('single');
  const [single, setSingle] = useState('');
  const [list, setList] = useState('');
  const [first, setFirst] = useState('');
  const [last, setLast] = useState('');
  const [settings, setSettings] = useState<NumberSettings>(emptyNumberSettings);
  const [inputProblems, setInputProblems] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>(new Map());
  const [progress, setProgress] = useState<{ done: number; total: number } | undefined>();
  const [failures, setFailures] = useState<string[]>([]);

  const numbersToAdd = () => (mode === 'single' ? parseNumberList(single) : mode === 'list' ? parseNumberList(list) : expandRange(first, last));

  const submit = async () => {
    const parsed = numbersToAdd();
    if (!parsed.ok) {
      setInputProblems(parsed.problems);
      return;
    }
    setInputProblems([]);
    const doc = accountDocOf(account);
    const bodies = parsed.numbers.map((n) => numberBody(n, account.name, settings));
    // The settings are the same for every number: the first one's problems are everyone's.
    const problems = numberProblems(bodies[0], doc);
    setFieldErrors(byTarget(problems));
    if (problems.length > 0) return;
    setProgress({ done: 0, total: bodies.length });
    const outcomes = await uploadNumbers(api, account.name, bodies, (p) => setProgress(p), new AbortController().signal);
    await queryClient.invalidateQueries({ queryKey: ['numbers', account.name] });
    await queryClient.invalidateQueries({ queryKey: ['account', account.name] });
    const failed = [...outcomes].filter(([, o]) => o.state !== 'sent').map(([n, o]) => `${n}: ${o.state === 'failed' ? o.message : o.state}`);
    setFailures(failed);
    if (failed.length === 0) dialog.close();
  };

  return (
    <Dialog open={dialog.open} modalType="modal" onOpenChange={(_, d) => !d.open && dialog.close()}>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          noValidate
        >
          <DialogBody>
            <DialogTitle>Add numbers to {account.name}</DialogTitle>
            <DialogContent className={styles.content}>
              <Field label="How to enter the numbers">
                <RadioGroup value={mode} onChange={(_, d) => setMode(d.value as Mode)} layout="horizontal">
                  <Radio value="single" label="One number" />
                  <Radio value="list" label="A list" />
                  <Radio value="range" label="A range" />
                </RadioGroup>
              </Field>
              {mode === 'single' && (
                <Field label="Telephone number" required hint="E.164: '+', country code, number; at most 15 digits." validationMessage={inputProblems.join(' ') || undefined}>
                  <Input value={single} onChange={(_, d) => setSingle(d.value)} placeholder="+14255550100" />
                </Field>
              )}
              {mode === 'list' && (
                <Field label="Telephone numbers" required hint="One per line, or separated by commas or spaces." validationMessage={inputProblems.slice(0, 10).join(' ') || undefined}>
                  <Textarea value={list} onChange={(_, d) => setList(d.value)} rows={6} />
                </Field>
              )}
              {mode === 'range' && (
                <fieldset className={styles.rangeGroup}>
                  <legend>Range (inclusive)</legend>
                  <div className={styles.range}>
                    <Field label="First number" required>
                      <Input value={first} onChange={(_, d) => setFirst(d.value)} placeholder="+14255550100" />
                    </Field>
                    <Field label="Last number" required>
                      <Input value={last} onChange={(_, d) => setLast(d.value)} placeholder="+14255550199" />
                    </Field>
                  </div>
                  <GroupError message={inputProblems.join(' ') || undefined} />
                </fieldset>
              )}
              <NumberSettingsFields account={account} settings={settings} onChange={setSettings} errors={fieldErrors} />
              {progress && <ProgressBar value={progress.total === 0 ? 1 : progress.done / progress.total} aria-label="Upload progress" />}
              {failures.length > 0 && (
                <div role="alert">
                  <p>{failures.length} numbers were not added:</p>
                  <ul>
                    {failures.slice(0, 20).map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                </div>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={progress !== undefined && progress.done < progress.total}>
                Add
              </Button>
              <Button onClick={() => dialog.close()}>Close</Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
