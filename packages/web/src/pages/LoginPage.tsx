import { type FormEvent, useState } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSession } from '../session/useSession';
import { ErrorMessage, isFieldInvalid } from '../ui/ErrorMessage';
import { Logo } from '../ui/Logo';
import { useDocumentTitle } from '../ui/useDocumentTitle';

type LoginState = { from?: string; reason?: 'expired' | 'signedOut' } | null;

/**
 * Signs a person in with email and password. The API's message is shown as it is, so wrong
 * credentials and "too many attempts" read the same here as anywhere else.
 */
export function LoginPage() {
  const { state, signIn } = useSession();
  const location = useLocation();
  const { from, reason } = (location.state as LoginState) ?? {};
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useDocumentTitle('Sign in');

  if (state.status === 'signedIn') return <Navigate to={from && from !== '/login' ? from : '/'} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };

  return (
    <main className="centered-page login-page">
      <form className="card login-card form" onSubmit={submit} aria-labelledby="login-title">
        <Logo size={28} />
        <h1 id="login-title">Sign in</h1>
        {reason === 'expired' && (
          <p className="notice" role="status">
            Your session has ended. Sign in again to continue.
          </p>
        )}
        {reason === 'signedOut' && (
          <p className="notice" role="status">
            You are signed out.
          </p>
        )}
        <label className="field">
          <span>Email</span>
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            aria-invalid={isFieldInvalid(error, 'email')}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            aria-invalid={isFieldInvalid(error, 'password')}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorMessage error={error} />
        <button type="submit" className="button primary block" disabled={busy || state.status === 'loading'}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
