/**
 * Commands of the station view: remote start and reset through the version-neutral routes (their
 * bodies checked against the OpenAPI schemas), and one form for every CSMS-initiated message of
 * the station's OCPP version (its payload checked against the official OCPP schema). Invalid
 * input is refused with the field named before any request; the API's own errors are shown.
 */
import { useEffect, useState } from 'preact/hooks';
import { CSMS_ACTIONS } from '../../../shared/calls/actions';
import { api, ApiError, enc, type CommandView, type FieldError } from '../api/client';
import { useCanWrite } from '../role';
import { ErrorBox } from '../ui';
import { ocppTemplate, validateApiBody, validateOcpp, type Protocol } from '../validation';

const WAIT = 'wait=10';

function Problems({ fields, id }: { fields: readonly FieldError[]; id: string }) {
  if (fields.length === 0) return null;
  return (
    <div class="error" role="alert" id={id}>
      Not sent, fix first:
      <ul>
        {fields.map((f) => (
          <li key={`${f.path}:${f.message}`}>
            <strong>{f.path || '(payload)'}</strong> {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Outcome({ command }: { command: CommandView | null }) {
  if (!command) return null;
  return (
    <p class="outcome" role="status">
      {command.action}: <strong data-command-status={command.status}>{command.status}</strong>
      {command.response ? ` — ${JSON.stringify(command.response)}` : ''}
      {command.error ? ` — ${command.error.code}: ${command.error.description}` : ''}
    </p>
  );
}

/** Submit state shared by the forms: field problems, API error, last outcome. */
function useSubmit(onDone: () => void) {
  const [fields, setFields] = useState<FieldError[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [outcome, setOutcome] = useState<CommandView | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (check: () => Promise<FieldError[]>, send: () => Promise<CommandView>) => {
    setError(null);
    setOutcome(null);
    let problems: FieldError[];
    try {
      problems = await check();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    setFields(problems);
    if (problems.length > 0) return;
    setBusy(true);
    try {
      setOutcome(await send());
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      if (e instanceof ApiError && e.fields.length > 0) setFields([...e.fields]);
    } finally {
      setBusy(false);
    }
  };
  return { fields, error, outcome, busy, run };
}

function intOrUndefined(text: string): number | undefined | string {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isInteger(n) ? n : text;
}

export function RemoteStart({ stationId, onDone }: { stationId: string; onDone: () => void }) {
  const canWrite = useCanWrite();
  const [idToken, setIdToken] = useState('');
  const [evseId, setEvseId] = useState('1');
  const s = useSubmit(onDone);
  const submit = (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = { idToken: idToken.trim() };
    const evse = intOrUndefined(evseId);
    if (evse !== undefined) body.evseId = evse;
    void s.run(
      () => validateApiBody('RemoteStartRequest', body),
      () => api<CommandView>('POST', `/v1/stations/${enc(stationId)}/remote-start?${WAIT}`, body),
    );
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="rs-title">
      <h3 id="rs-title">Remote start</h3>
      <label>
        Id token
        <input value={idToken} onInput={(e) => setIdToken(e.currentTarget.value)} name="idToken" />
      </label>
      <label>
        EVSE
        <input
          value={evseId}
          inputMode="numeric"
          onInput={(e) => setEvseId(e.currentTarget.value)}
          name="evseId"
        />
      </label>
      <Problems fields={s.fields} id="rs-problems" />
      {s.error && <ErrorBox error={s.error} />}
      <button type="submit" disabled={!canWrite || s.busy}>
        Start charging
      </button>
      <Outcome command={s.outcome} />
    </form>
  );
}

export function RemoteStop({
  stationId,
  transactionId,
  onDone,
}: {
  stationId: string;
  transactionId: string;
  onDone: () => void;
}) {
  const canWrite = useCanWrite();
  const s = useSubmit(onDone);
  const body = { transactionId };
  return (
    <div>
      <button
        type="button"
        disabled={!canWrite || s.busy}
        onClick={() =>
          void s.run(
            () => validateApiBody('RemoteStopRequest', body),
            () => api<CommandView>('POST', `/v1/stations/${enc(stationId)}/remote-stop?${WAIT}`, body),
          )
        }
      >
        Stop charging
      </button>
      {s.error && <ErrorBox error={s.error} />}
      <Outcome command={s.outcome} />
    </div>
  );
}

export function Reset({ stationId, onDone }: { stationId: string; onDone: () => void }) {
  const canWrite = useCanWrite();
  const [type, setType] = useState('soft');
  const s = useSubmit(onDone);
  const submit = (e: Event) => {
    e.preventDefault();
    const body = { type };
    void s.run(
      () => validateApiBody('ResetRequest', body),
      () => api<CommandView>('POST', `/v1/stations/${enc(stationId)}/reset?${WAIT}`, body),
    );
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="reset-title">
      <h3 id="reset-title">Reset</h3>
      <label>
        Kind
        <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
          <option value="soft">Soft</option>
          <option value="hard">Hard</option>
          <option value="immediate">Immediate</option>
          <option value="on-idle">When idle</option>
        </select>
      </label>
      <Problems fields={s.fields} id="reset-problems" />
      {s.error && <ErrorBox error={s.error} />}
      <button type="submit" disabled={!canWrite || s.busy}>
        Reset station
      </button>
      <Outcome command={s.outcome} />
    </form>
  );
}

/** Any CSMS-initiated message of the station's version, its payload as JSON. */
export function AnyCommand({
  stationId,
  protocol,
  onDone,
}: {
  stationId: string;
  protocol: Protocol;
  onDone: () => void;
}) {
  const canWrite = useCanWrite();
  const actions = CSMS_ACTIONS[protocol];
  const [action, setAction] = useState(
    actions.includes('TriggerMessage') ? 'TriggerMessage' : (actions[0] ?? ''),
  );
  const [payload, setPayload] = useState('');
  const [touched, setTouched] = useState(false);
  const s = useSubmit(onDone);

  // A fresh template for each action, unless the operator already edited the payload.
  useEffect(() => {
    if (touched) return;
    let live = true;
    ocppTemplate(protocol, action).then(
      (t) => live && setPayload(JSON.stringify(t, null, 2)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [protocol, action, touched]);

  const submit = (e: Event) => {
    e.preventDefault();
    let parsed: unknown;
    void s.run(
      async () => {
        try {
          parsed = JSON.parse(payload);
        } catch (err) {
          return [{ path: '', message: `is not valid JSON (${err instanceof Error ? err.message : ''})` }];
        }
        return validateOcpp(protocol, action, parsed);
      },
      () =>
        api<CommandView>('POST', `/v1/stations/${enc(stationId)}/commands?${WAIT}`, {
          action,
          payload: parsed,
        }),
    );
  };
  return (
    <form class="card wide" onSubmit={submit} noValidate aria-labelledby="any-title">
      <h3 id="any-title">Any {protocol} message</h3>
      <label>
        Message
        <select
          value={action}
          onChange={(e) => {
            setTouched(false);
            setAction(e.currentTarget.value);
          }}
        >
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label>
        Payload (JSON, checked against the official {protocol} schema)
        <textarea
          rows={8}
          spellcheck={false}
          value={payload}
          onInput={(e) => {
            setTouched(true);
            setPayload(e.currentTarget.value);
          }}
        />
      </label>
      <Problems fields={s.fields} id="any-problems" />
      {s.error && <ErrorBox error={s.error} />}
      <button type="submit" disabled={!canWrite || s.busy}>
        Send {action}
      </button>
      <Outcome command={s.outcome} />
    </form>
  );
}
