import { useState } from 'react';
import { allowed, useAuthStore } from '../../store/auth';
import { Modal } from '../common/Modal';

/** The signed-in user and Sign out, in a screen's header; nothing with sign-in off. */
export function AccountMenu() {
  const { enabled, user, gateway, gatewayError, status } = useAuthStore();
  if (!enabled || !user) return null;
  const roles = gateway?.roles.join(', ');
  return (
    <span className="account" data-testid="account">
      <span data-testid="account-name" title={roles ? `Roles: ${roles}` : undefined}>
        {user.name}
      </span>
      {gateway?.scope && (
        <span className="muted" data-testid="account-scope">
          (limited to {gateway.scope.studies.length + gateway.scope.patients.length === 1 ? 'one study' : 'some studies'})
        </span>
      )}
      {gatewayError && (
        <span className="warning-text" role="alert" data-testid="account-gateway-error" title={gatewayError}>
          The gateway did not say what this account may do: only reading is offered.
        </span>
      )}
      {status === 'expired' && (
        <button type="button" className="link warning-text" onClick={() => void useAuthStore.getState().signInAgain()}>
          Session ended: sign in again
        </button>
      )}
      <button type="button" className="link" onClick={() => void useAuthStore.getState().signOut()} data-testid="sign-out">
        Sign out
      </button>
    </span>
  );
}

/** A session that could not be renewed: sign in again in a popup, with the page (study, measurements) kept. */
export function SessionExpired() {
  const { status, message } = useAuthStore();
  // Closed, it waits in the header (AccountMenu) until the reader signs in again.
  const [dismissed, setDismissed] = useState<string>();
  if (status !== 'expired' || dismissed === message) return null;
  return (
    <Modal title="Sign in again" onClose={() => setDismissed(message)} testId="session-expired">
      <div className="modal-body">
        <p>{message ?? 'The session has ended.'}</p>
        <p>Nothing on this page is lost: the study stays open and measurements not yet saved are kept.</p>
        <button type="button" className="primary" onClick={() => void useAuthStore.getState().signInAgain()} data-testid="sign-in-again">
          Sign in again
        </button>
      </div>
    </Modal>
  );
}

/** What a screen shows until sign-in is done (or why it failed). */
export function SignInGate() {
  const { status, message } = useAuthStore();
  if (status === 'error') {
    return (
      <div className="center-message error" role="alert" data-testid="sign-in-error">
        <p>{message}</p>
        <button type="button" onClick={() => window.location.assign('/')}>
          Sign in
        </button>
      </div>
    );
  }
  if (status === 'signed-out') return <div className="center-message">Signed out.</div>;
  return <div className="center-message" data-testid="signing-in">Signing in…</div>;
}

/** Whether the signed-in user may do this (reads the store; always true with sign-in off). */
export function useAllowed(what: Parameters<typeof allowed>[1]): boolean {
  return useAuthStore((s) => allowed(s, what));
}
