/** A validation message for a group of controls (a fieldset), styled like a Field's. */
import { Text, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({ error: { color: tokens.colorPaletteRedForeground1 } });

export function GroupError({ message }: { message: string | undefined }) {
  const styles = useStyles();
  if (message === undefined) return null;
  return (
    <Text role="alert" size={200} className={styles.error}>
      {message}
    </Text>
  );
}
