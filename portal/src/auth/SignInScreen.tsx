/** Sign-in: Microsoft Entra ID in the cloud; locally, the development issuer with roles of your choice. */
import { Button, Card, Checkbox, Field, Input, MessageBar, MessageBarBody, Text, Title1, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { PortalConfig } from '../config';
import { devSignIn } from './devSession';
import type { Session } from './session';

const ROLE_CHOICES = [
  { role: 'ProvisioningAPI.ReadUser', label: 'Read (view configuration)' },
  { role: 'ProvisioningAPI.WriteUser', label: 'Write (add and change)' },
  { role: 'ProvisioningAPI.DeleteUser', label: 'Delete (remove)' },
  { role: 'ProvisioningAPI.AdminUser', label: 'Admin (everything)' },
] as const;

const useStyles = makeStyles({
  page: { display: 'flex', justifyContent: 'center', padding: tokens.spacingVerticalXXL },
  card: { maxWidth: '480px', width: '100%', padding: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export function SignInScreen({ config, onSignedIn, onSignOut, entraSignIn }: { config: PortalConfig; onSignedIn: (s: Session) => void; onSignOut: () => void; entraSignIn?: () => Promise<void> }) {
  const styles = useStyles();
  const [name, setName] = useState('Local developer');
  const [roles, setRoles] = useState<string[]>(['ProvisioningAPI.AdminUser']);
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const signIn = config.signIn;

  const devSubmit = async () => {
    if (signIn.kind !== 'dev') return;
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await devSignIn(signIn.tokenUrl, name.trim() || 'Local developer', roles, onSignOut));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className={styles.page}>
      <Card className={styles.card}>
        <Title1 block as="h1">Number Management Portal</Title1>
        {signIn.kind === 'entra' && entraSignIn && (
          <>
            <Text>Sign in with your work account. You need one of the ProvisioningAPI user roles.</Text>
            <Button appearance="primary" onClick={() => void entraSignIn()}>
              Sign in with Microsoft
            </Button>
          </>
        )}
        {signIn.kind === 'none' && (
          <MessageBar intent="error">
            <MessageBarBody>{signIn.reason}</MessageBarBody>
          </MessageBar>
        )}
        {signIn.kind === 'dev' && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void devSubmit();
            }}
            style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
          >
            <MessageBar intent="warning">
              <MessageBarBody>Local development sign-in: tokens come from the development issuer, never from Entra ID.</MessageBarBody>
            </MessageBar>
            <Field label="Your name">
              <Input value={name} onChange={(_, d) => setName(d.value)} />
            </Field>
            <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
              <legend>Roles</legend>
              {ROLE_CHOICES.map(({ role, label }) => (
                <Checkbox
                  key={role}
                  label={label}
                  checked={roles.includes(role)}
                  onChange={(_, d) => setRoles((r) => (d.checked === true ? [...r, role] : r.filter((x) => x !== role)))}
                />
              ))}
            </fieldset>
            {error && (
              <MessageBar intent="error" role="alert">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
            <Button appearance="primary" type="submit" disabled={busy || roles.length === 0}>
              Sign in
            </Button>
          </form>
        )}
      </Card>
    </main>
  );
}
