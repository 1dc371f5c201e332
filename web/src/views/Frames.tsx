/**
 * The station's last OCPP messages: each one it sent, with the CSMS's reply. Recorded only while
 * someone watches the station (this view's polling keeps the watch alive), so the list starts
 * when the view opens. The CALLs the CSMS sent are the commands listed beside.
 */
import { enc, type Schemas } from '../api/client';
import { useResource } from '../live';
import { Empty, ErrorBox, Loading, Time } from '../ui';

type Logged = Schemas['MessageLogView']['items'][number];

/** `CALL BootNotification`, `CALLRESULT`, `CALLERROR InternalError`, or `frame` when unreadable. */
function describe(frame: string): string {
  try {
    const parsed = JSON.parse(frame) as unknown[];
    if (parsed[0] === 2) return `CALL ${String(parsed[2])}`;
    if (parsed[0] === 3) return 'CALLRESULT';
    if (parsed[0] === 4) return `CALLERROR ${String(parsed[2])}`;
  } catch {
    // a truncated or malformed frame: shown as is
  }
  return 'frame';
}

function pretty(frame: string): string {
  try {
    return JSON.stringify(JSON.parse(frame), null, 2);
  } catch {
    return frame;
  }
}

function Message({ m }: { m: Logged }) {
  return (
    <li>
      <details>
        <summary>
          <Time iso={m.receivedAt} /> in: <strong>{describe(m.inbound)}</strong>
          {m.reply ? ` → out: ${describe(m.reply)}` : ''}
          {m.truncated ? ' (cut at 8 KiB)' : ''}
        </summary>
        <pre aria-label="Received">{pretty(m.inbound)}</pre>
        {m.reply && <pre aria-label="Replied">{pretty(m.reply)}</pre>}
      </details>
    </li>
  );
}

export function Frames({ id }: { id: string }) {
  const log = useResource<Schemas['MessageLogView']>(`/v1/stations/${enc(id)}/messages?limit=30`);
  if (log.error) return <ErrorBox error={log.error} what="the messages" />;
  if (!log.data) return <Loading what="messages" />;
  return (
    <div class="frames">
      <p class="help">
        Recorded while this page is open (until <Time iso={log.data.watchingUntil} />
        ), kept for an hour. Messages the CSMS sent are under Recent commands.
      </p>
      {log.data.items.length === 0 ? (
        <Empty>No message since you started watching; the next one the station sends shows here.</Empty>
      ) : (
        <ol class="log" data-messages>
          {log.data.items.map((m) => (
            <Message key={m.receivedAt + m.inbound.slice(0, 40)} m={m} />
          ))}
        </ol>
      )}
    </div>
  );
}
