/**
 * Start a firmware rollout: the image (URL and version), the target (station ids, a filter on the
 * last BootNotification, or both) and the policy (canary, batch size, health gate). Checked in the
 * browser first, against the API's own CreateRolloutRequest schema plus what a schema cannot say
 * (a whole number, a URL's scheme, a target of some kind), each problem naming its field as the
 * API's 400s do; nothing is sent until it passes. The API's refusals (a station in another
 * rollout: 409) are shown with their message.
 */
import { useState } from 'preact/hooks';
import {
  api,
  ApiError,
  type CreateRolloutRequest,
  type FieldError,
  type RolloutAccepted,
} from '../api/client';
import { useCanWrite } from '../role';
import { ErrorBox } from '../ui';
import { validateApiBody } from '../validation';

const SCHEMES = ['http:', 'https:', 'ftp:', 'ftps:', 'sftp:'];

interface Fields {
  location: string;
  version: string;
  stationIds: string;
  vendor: string;
  model: string;
  fromVersion: string;
  canary: string;
  batchSize: string;
  maxFailurePercent: string;
  onThreshold: 'pause' | 'abort';
  stationTimeoutSeconds: string;
  pollSeconds: string;
}

const EMPTY: Fields = {
  location: '',
  version: '',
  stationIds: '',
  vendor: '',
  model: '',
  fromVersion: '',
  canary: '1',
  batchSize: '10',
  maxFailurePercent: '10',
  onThreshold: 'pause',
  stationTimeoutSeconds: '3600',
  pollSeconds: '30',
};

export function stationIdList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** What the schema cannot say, or says badly (an empty string, "abc" in a number field). */
export function ownChecks(f: Fields): FieldError[] {
  const problems: FieldError[] = [];
  if (!f.location.trim()) problems.push({ path: 'firmware.location', message: 'is required' });
  else {
    let ok = false;
    try {
      ok = SCHEMES.includes(new URL(f.location.trim()).protocol);
    } catch {
      ok = false;
    }
    if (!ok)
      problems.push({
        path: 'firmware.location',
        message: 'must be an absolute http(s), ftp(s) or sftp URL',
      });
  }
  if (!f.version.trim()) problems.push({ path: 'firmware.version', message: 'is required' });
  if (
    stationIdList(f.stationIds).length === 0 &&
    !f.vendor.trim() &&
    !f.model.trim() &&
    !f.fromVersion.trim()
  )
    problems.push({
      path: 'target',
      message: 'give station ids, a filter (vendor, model, firmware), or both',
    });
  const whole = (path: string, value: string, min: number, max: number) => {
    const v = value.trim();
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
      problems.push({ path, message: `must be a whole number from ${min} to ${max}` });
  };
  whole('policy.canary', f.canary, 1, 1000);
  whole('policy.batchSize', f.batchSize, 1, 1000);
  const pct = f.maxFailurePercent.trim();
  if (!/^\d+(\.\d+)?$/.test(pct) || Number(pct) > 100)
    problems.push({ path: 'policy.maxFailurePercent', message: 'must be a number from 0 to 100' });
  whole('policy.stationTimeoutSeconds', f.stationTimeoutSeconds, 1, 7 * 86_400);
  whole('policy.pollSeconds', f.pollSeconds, 1, 3600);
  return problems;
}

export function requestOf(f: Fields): CreateRolloutRequest {
  const ids = stationIdList(f.stationIds);
  const filter = {
    ...(f.vendor.trim() ? { vendor: f.vendor.trim() } : {}),
    ...(f.model.trim() ? { model: f.model.trim() } : {}),
    ...(f.fromVersion.trim() ? { firmwareVersion: f.fromVersion.trim() } : {}),
  };
  return {
    firmware: { location: f.location.trim(), version: f.version.trim() },
    target: {
      ...(ids.length > 0 ? { stationIds: ids } : {}),
      ...(Object.keys(filter).length > 0 ? { filter } : {}),
    },
    policy: {
      canary: Number(f.canary.trim()),
      batchSize: Number(f.batchSize.trim()),
      maxFailurePercent: Number(f.maxFailurePercent.trim()),
      onThreshold: f.onThreshold,
      stationTimeoutSeconds: Number(f.stationTimeoutSeconds.trim()),
      pollSeconds: Number(f.pollSeconds.trim()),
    },
  };
}

export function RolloutForm({ onStarted }: { onStarted: (id: string) => void }) {
  const canWrite = useCanWrite();
  const [f, setF] = useState<Fields>(EMPTY);
  const [fields, setFields] = useState<FieldError[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    (key: keyof Fields) =>
    (e: { currentTarget: { value: string } }): void =>
      setF((now) => ({ ...now, [key]: e.currentTarget.value }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const own = ownChecks(f);
      const body = requestOf(f);
      const problems = own.length > 0 ? own : await validateApiBody('CreateRolloutRequest', body);
      setFields(problems);
      if (problems.length > 0) return;
      const started = await api<RolloutAccepted>('POST', '/v1/firmware/rollouts', body);
      setF(EMPTY);
      onStarted(started.id);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      if (err instanceof ApiError) setFields([...err.fields]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card wide" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-rollout-title">
      <h2 id="new-rollout-title">Start a rollout</h2>
      <fieldset>
        <legend>Firmware</legend>
        <label>
          Image URL
          <input
            type="url"
            value={f.location}
            placeholder="https://firmware.example.com/model-2.0.0.bin"
            onInput={set('location')}
          />
        </label>
        <label>
          Version it installs
          <input value={f.version} placeholder="2.0.0" onInput={set('version')} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Stations (ids, a filter, or both: stations already on the version are left out)</legend>
        <label>
          Station ids (separated by spaces, commas or lines)
          <textarea rows={2} value={f.stationIds} onInput={set('stationIds')} />
        </label>
        <label>
          Vendor
          <input value={f.vendor} onInput={set('vendor')} />
        </label>
        <label>
          Model
          <input value={f.model} onInput={set('model')} />
        </label>
        <label>
          Current firmware version
          <input value={f.fromVersion} onInput={set('fromVersion')} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Waves and health gate</legend>
        <label>
          Canary stations (first wave)
          <input inputMode="numeric" value={f.canary} onInput={set('canary')} />
        </label>
        <label>
          Stations per later wave
          <input inputMode="numeric" value={f.batchSize} onInput={set('batchSize')} />
        </label>
        <label>
          Most failed stations per wave (%)
          <input inputMode="decimal" value={f.maxFailurePercent} onInput={set('maxFailurePercent')} />
        </label>
        <label>
          Over the limit
          <select
            value={f.onThreshold}
            onChange={(e) =>
              setF((now) => ({ ...now, onThreshold: e.currentTarget.value as 'pause' | 'abort' }))
            }
          >
            <option value="pause">Pause the rollout</option>
            <option value="abort">Abort the rollout</option>
          </select>
        </label>
        <label>
          Station time limit (s)
          <input inputMode="numeric" value={f.stationTimeoutSeconds} onInput={set('stationTimeoutSeconds')} />
        </label>
        <label>
          Check each wave every (s)
          <input inputMode="numeric" value={f.pollSeconds} onInput={set('pollSeconds')} />
        </label>
      </fieldset>
      {fields.length > 0 && (
        <div class="error" role="alert">
          Not started, fix first:
          <ul>
            {fields.map((x) => (
              <li key={x.path}>
                <strong>{x.path || '(body)'}</strong> {x.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && fields.length === 0 && <ErrorBox error={error} />}
      <button type="submit" disabled={!canWrite || busy}>
        Start rollout
      </button>
    </form>
  );
}
