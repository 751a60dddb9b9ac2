/** The signed-in frame: header with the user and roles, navigation tabs, and the current screen. */
import { Button, Link, Text, makeStyles, tokens } from '@fluentui/react-components';
import { AccountDetailScreen } from '../screens/AccountDetailScreen';
import { AccountsScreen } from '../screens/AccountsScreen';
import { NumberSearchScreen } from '../screens/NumberSearchScreen';
import { RfisScreen } from '../screens/RfisScreen';
import { usePortal } from './context';
import { hrefOf, navigate, useRoute, type Route } from './router';

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
  nav: { padding: `0 ${tokens.spacingHorizontalL}`, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, display: 'flex', gap: tokens.spacingHorizontalXL, flexWrap: 'wrap' },
  navLink: { padding: `${tokens.spacingVerticalM} 0`, borderBottom: '3px solid transparent', color: tokens.colorNeutralForeground1 },
  current: { borderBottomColor: tokens.colorBrandStroke1, fontWeight: tokens.fontWeightSemibold },
  main: { padding: tokens.spacingHorizontalL, maxWidth: '1400px' },
});

const TABS: Array<{ value: 'accounts' | 'numbers' | 'rfis'; label: string }> = [
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
        {TABS.map((t) => (
          <Link
            key={t.value}
            href={hrefOf({ screen: t.value } as Route)}
            className={`${styles.navLink} ${selected === t.value ? styles.current : ''}`}
            aria-current={selected === t.value ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault();
              navigate({ screen: t.value } as Route);
            }}
          >
            {t.label}
          </Link>
        ))}
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
