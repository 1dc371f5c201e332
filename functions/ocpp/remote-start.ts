/**
 * A token the CSMS itself put in a remote start is one it vouches for. 2.0.1 F01.FR.01 (and 1.6
 * §5.11 with AuthorizeRemoteTxRequests true): the station authorizes the remote start's id token as
 * if presented locally, with an AuthorizeRequest, and F01.FR.03 has the CSMS check it again in the
 * TransactionEvent. The API's /remote-start sends `{"idToken": X, "type": "Central"}` by default, a
 * token that need not be stored (an app user, say): without this the CSMS would answer its own
 * remote start Unknown / Invalid and the station would refuse the start.
 *
 * Granted only for the exact token (and, in 2.x, type) of a RequestStartTransaction /
 * RemoteStartTransaction sent to this station within REMOTE_START_WINDOW_MS and not refused by it.
 */
import type { CommandItem } from '../../shared/store/commands.js';
import type { HandlerContext } from './context.js';

/** How long after its remote start a token is vouched for: plugging in may take a few minutes. */
export const REMOTE_START_WINDOW_MS = 10 * 60_000;
/** Remote starts are among a station's latest commands; older ones are outside the window anyway. */
const RECENT_COMMANDS = 10;

function tokenOf(command: CommandItem): { idToken: string; type: string | undefined } | undefined {
  const p = command.payload;
  if (command.action === 'RemoteStartTransaction' && typeof p.idTag === 'string') {
    return { idToken: p.idTag, type: undefined };
  }
  const token = p.idToken as { idToken?: unknown; type?: unknown } | undefined;
  if (command.action === 'RequestStartTransaction' && typeof token?.idToken === 'string') {
    return { idToken: token.idToken, type: typeof token.type === 'string' ? token.type : undefined };
  }
  return undefined;
}

/** Still in force: sent (the answer may come after the Authorize) or answered Accepted. */
function inForce(command: CommandItem, now: Date): boolean {
  const sentAt = Date.parse(command.sentAt ?? '');
  if (!Number.isFinite(sentAt) || now.getTime() - sentAt > REMOTE_START_WINDOW_MS) return false;
  if (command.status === 'sent') return true;
  return command.status === 'completed' && command.response?.status === 'Accepted';
}

/**
 * Whether the CSMS sent this station a remote start for `idToken` (of `type`; a 1.6 idTag has
 * none) recently. Id tokens compare case-insensitively, as everywhere in this CSMS.
 */
export async function remoteStartIssued(
  ctx: HandlerContext<'commands'>,
  idToken: string,
  type: string | undefined,
): Promise<boolean> {
  const { items } = await ctx.store.commands.listForStation(ctx.stationId, RECENT_COMMANDS);
  return items.some((command) => {
    const token = tokenOf(command);
    return (
      token !== undefined &&
      token.idToken.toUpperCase() === idToken.toUpperCase() &&
      (type === undefined || token.type === undefined || token.type === type) &&
      inForce(command, ctx.now)
    );
  });
}
