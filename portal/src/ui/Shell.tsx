/** The signed-in frame: header with the user and roles, navigation tabs, and the current screen. */
import { Button, Tab, TabList, Text, makeStyles, tokens } from '@fluentui/react-components';
import { AccountDetailScreen } from '../screens/AccountDetailScreen';
import { AccountsScreen } from '../screens/AccountsScreen';
import { NumberSearchScreen } from '../screens/NumberSearchScreen';
import { RfisScreen } from '../screens/RfisScreen';
import { usePortal } from './context';
import { navigate, useRoute, type Route } from './router';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    flexWrap: 'wrap',
  },
  brand: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase400 },
  user: { marginLeft: 'auto', display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center' },
  nav: { padding: `0 ${tokens.spacingHorizontalL}`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  main: { padding: tokens.spacingHorizontalL, maxWidth: '1400px' },
});

const TABS: Array<{ value: Route['screen']; label: string }> = [
  { value: 'accounts', label: 'Accounts' },
  { value: 'numbers', label: 'Number search' },
  { value: 'rfis', label: 'Requests for information' },
];

export function Shell() {
  const styles = useStyles();
  const { session } = usePortal();
  const route = useRoute();
  const selected = route.screen === 'account' ? 'accounts' : route.screen;
  const shortRoles = session.roles.map((r) => r.replace(/^ProvisioningAPI\./, '')).join(', ') || 'no roles';
  return (
    <>
      <header className={styles.header}>
        <span className={styles.brand}>Number Management Portal</span>
        <div className={styles.user}>
          <Text data-testid="signed-in-user">
            {session.name} ({shortRoles})
          </Text>
          <Button appearance="secondary" size="small" onClick={session.signOut}>
            Sign out
          </Button>
        </div>
      </header>
      <nav className={styles.nav} aria-label="Portal sections">
        <TabList selectedValue={selected} onTabSelect={(_, d) => navigate({ screen: d.value as 'accounts' | 'numbers' | 'rfis' })}>
          {TABS.map((t) => (
            <Tab key={t.value} value={t.value}>
              {t.label}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main className={styles.main}>
        {route.screen === 'accounts' && <AccountsScreen />}
        {route.screen === 'account' && <AccountDetailScreen key={route.accountName} accountName={route.accountName} />}
        {route.screen === 'numbers' && <NumberSearchScreen />}
        {route.screen === 'rfis' && <RfisScreen />}
      </main>
    </>
  );
}
