import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from './auth/config';
import { CALLBACK_PATH } from './auth/paths';
import { completeSignIn, configureSession, currentSession, signIn } from './auth/session';
import { I18nProvider } from './i18n/i18n';
import { queryClient, router } from './router';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);

function SignInFailed({ message }: { message: string }) {
  const spanish = !navigator.language.startsWith('en');
  return (
    <main id="main" className="signin-failed">
      <h1>{spanish ? 'No se pudo iniciar sesión' : 'Sign-in failed'}</h1>
      <p role="alert">{message}</p>
      <button type="button" onClick={() => void signIn('/')}>
        {spanish ? 'Intentar de nuevo' : 'Try again'}
      </button>
    </main>
  );
}

/** Signs in through the hosted UI (or completes its redirect), then starts the console. */
async function start(): Promise<void> {
  configureSession(await loadConfig());
  if (window.location.pathname === CALLBACK_PATH) {
    const returnTo = await completeSignIn(new URLSearchParams(window.location.search));
    window.history.replaceState(null, '', returnTo);
  }
  if (!currentSession()) {
    await signIn(`${window.location.pathname}${window.location.search}`);
    return;
  }
  root.render(
    <StrictMode>
      <I18nProvider>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </I18nProvider>
    </StrictMode>,
  );
}

start().catch((error: unknown) =>
  root.render(<SignInFailed message={error instanceof Error ? error.message : String(error)} />),
);
