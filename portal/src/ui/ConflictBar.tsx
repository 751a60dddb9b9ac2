/** 412 PreconditionFailed explained: who changed what since the form was opened, and a reload. */
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { FieldChange } from './conflict';

export function ConflictBar({ changes, onReload }: { changes: readonly FieldChange[]; onReload: () => void }) {
  return (
    <MessageBar intent="warning" role="alert" layout="multiline" data-testid="conflict">
      <MessageBarBody>
        <MessageBarTitle>Someone else changed this item since you opened it</MessageBarTitle>
        Your changes were not saved.{' '}
        {changes.length === 0 ? (
          'Only server-side status fields differ.'
        ) : (
          <>
            Changed meanwhile:
            <ul>
              {changes.map((c) => (
                <li key={c.field}>
                  <code>{c.field}</code>: {c.before} → {c.after}
                </li>
              ))}
            </ul>
          </>
        )}
      </MessageBarBody>
      <MessageBarActions>
        <Button onClick={onReload}>Reload the latest version</Button>
      </MessageBarActions>
    </MessageBar>
  );
}
