import { useSyncExternalStore } from 'react';
import { currentSession, type Session, subscribe } from './session';

export function useSession(): Session | undefined {
  return useSyncExternalStore(subscribe, currentSession);
}
