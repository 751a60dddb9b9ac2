/** 412 PreconditionFailed explained: what changed since the form was opened, and a reload. */
import { Button, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import type { FieldChange } from './conflict';

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
});

export function ConflictBar({ changes, onReload }: { changes: readonly FieldChange[]; onReload: () => void }) {
  const styles = useStyles();
  return (
    <div className={styles.box} role="alert" data-testid="conflict">
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>Someone else changed this item since you opened it</MessageBarTitle>
          Your changes were not saved. {changes.length === 0 ? 'Only server-side status fields differ.' : 'Changed meanwhile:'}
        </MessageBarBody>
      </MessageBar>
      {changes.length > 0 && (
        <ul className={styles.list}>
          {changes.map((c) => (
            <li key={c.field}>
              <code>{c.field}</code>: {c.before} → {c.after}
            </li>
          ))}
        </ul>
      )}
      <Button onClick={onReload}>Reload the latest version</Button>
    </div>
  );
}
