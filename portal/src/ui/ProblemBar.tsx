/** An API error in plain words: the code's meaning, the server's message, and each problem with its field. */
import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiProblem, plainWords } from '../api/problem';

export function ProblemBar({ error, title }: { error: unknown; title?: string }) {
  if (error === undefined || error === null) return null;
  if (!(error instanceof ApiProblem)) {
    return (
      <MessageBar intent="error" role="alert" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{title ?? 'Something went wrong'}</MessageBarTitle>
          {error instanceof Error ? error.message : String(error)}
        </MessageBarBody>
      </MessageBar>
    );
  }
  const words = plainWords(error);
  return (
    <MessageBar intent="error" role="alert" layout="multiline" data-error-code={error.code}>
      <MessageBarBody>
        <MessageBarTitle>{title ?? words ?? 'The request was refused'}</MessageBarTitle>
        <span>
          {error.message} ({error.code}, HTTP {error.status})
        </span>
        {error.details.length > 0 && (
          <ul>
            {error.details.map((d, i) => (
              <li key={i}>
                {d.target ? <code>{d.target}</code> : null} {d.message}
              </li>
            ))}
          </ul>
        )}
      </MessageBarBody>
    </MessageBar>
  );
}
