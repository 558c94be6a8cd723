import { useTranslation } from 'react-i18next';
import { errorText } from './errorText';

/** An error message from below the screens, in the reader's language where its form is known (errorText.ts). */
export function ErrorText({ message }: { message: string }) {
  const { t } = useTranslation('common');
  return <>{errorText(message, t)}</>;
}
