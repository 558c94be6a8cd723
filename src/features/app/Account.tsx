import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allowed, useAuthStore } from '../../store/auth';
import { Modal } from '../common/Modal';

/** The signed-in user and Sign out, in a screen's header; nothing with sign-in off. */
export function AccountMenu() {
  const { enabled, user, gateway, gatewayError, status } = useAuthStore();
  const { t } = useTranslation('app');
  if (!enabled || !user) return null;
  const roles = gateway?.roles.join(', ');
  return (
    <span className="account" data-testid="account">
      <span data-testid="account-name" title={roles ? t('account.roles', { roles }) : undefined}>
        <bdi>{user.name}</bdi>
      </span>
      {gateway?.scope && (
        <span className="muted" data-testid="account-scope">
          {gateway.scope.studies.length + gateway.scope.patients.length === 1 ? t('account.limitedOne') : t('account.limitedSome')}
        </span>
      )}
      {gatewayError && (
        <span className="warning-text" role="alert" data-testid="account-gateway-error" title={gatewayError}>
          {t('account.gatewayError')}
        </span>
      )}
      {status === 'expired' && (
        <button type="button" className="link warning-text" onClick={() => void useAuthStore.getState().signInAgain()}>
          {t('account.sessionEnded')}
        </button>
      )}
      <button type="button" className="link" onClick={() => void useAuthStore.getState().signOut()} data-testid="sign-out">
        {t('account.signOut')}
      </button>
    </span>
  );
}

/** A session that could not be renewed: sign in again in a popup, with the page (study, measurements) kept. */
export function SessionExpired() {
  const { status, message } = useAuthStore();
  const { t } = useTranslation('app');
  // Closed, it waits in the header (AccountMenu) until the reader signs in again.
  const [dismissed, setDismissed] = useState<string>();
  if (status !== 'expired' || dismissed === message) return null;
  return (
    <Modal title={t('account.signInAgain')} onClose={() => setDismissed(message)} testId="session-expired">
      <div className="modal-body">
        <p>{message ?? t('account.sessionHasEnded')}</p>
        <p>{t('account.nothingLost')}</p>
        <button type="button" className="primary" onClick={() => void useAuthStore.getState().signInAgain()} data-testid="sign-in-again">
          {t('account.signInAgain')}
        </button>
      </div>
    </Modal>
  );
}

/** What a screen shows until sign-in is done (or why it failed). */
export function SignInGate() {
  const { status, message } = useAuthStore();
  const { t } = useTranslation('app');
  if (status === 'error') {
    return (
      <div className="center-message error" role="alert" data-testid="sign-in-error">
        <p>{message}</p>
        <button type="button" onClick={() => window.location.assign('/')}>
          {t('account.signIn')}
        </button>
      </div>
    );
  }
  if (status === 'signed-out') return <div className="center-message">{t('account.signedOut')}</div>;
  return (
    <div className="center-message" data-testid="signing-in">
      {t('account.signingIn')}
    </div>
  );
}

/** Whether the signed-in user may do this (reads the store; always true with sign-in off). */
export function useAllowed(what: Parameters<typeof allowed>[1]): boolean {
  return useAuthStore((s) => allowed(s, what));
}
