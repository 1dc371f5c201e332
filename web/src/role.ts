/** The caller's role from GET /v1/me: admin, viewer, or null (not known yet, or no access). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const RoleContext = createContext<'admin' | 'viewer' | null>(null);

/** Whether commands and edits are enabled (the API refuses a viewer with 403 anyway). */
export function useCanWrite(): boolean {
  return useContext(RoleContext) === 'admin';
}
