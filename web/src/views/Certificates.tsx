/**
 * A station's certificates (issue 11's registry: GET /v1/stations/{id}/certificates): issued by
 * this CSMS's station CA, installed through InstallCertificate / CertificateSigned, or reported by
 * GetInstalledCertificateIds; status as a word; revoke (DELETE, after a confirmation) for an
 * active certificate the CA issued, disabled for viewers.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, type Schemas } from '../api/client';
import { useResource } from '../live';
import { useCanWrite } from '../role';
import { Empty, ErrorBox, Loading, Time } from '../ui';

type StationCertificate = Schemas['StationCertificate'];
type StationCertificateList = Schemas['StationCertificateList'];

const STATUS: Record<StationCertificate['status'], { word: string; cls: string }> = {
  ACTIVE: { word: 'Active', cls: 'ok' },
  REVOKED: { word: 'Revoked', cls: 'bad' },
  EXPIRED: { word: 'Expired', cls: 'off' },
};

const SOURCE: Record<StationCertificate['source'], string> = {
  issued: 'issued by this CSMS',
  installed: 'installed',
  reported: 'reported by the station',
};

export function Certificates({ stationId }: { stationId: string }) {
  const canWrite = useCanWrite();
  const base = `/v1/stations/${enc(stationId)}/certificates`;
  const list = useResource<StationCertificateList>(base);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  const revoke = async (serial: string) => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      await api('DELETE', `${base}/${enc(serial)}`);
      setConfirming(null);
      setOutcome(`Certificate ${serial} revoked: the station can no longer sign in with it.`);
      list.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  if (list.error) return <ErrorBox error={list.error} what="the certificates" />;
  if (!list.data) return <Loading what="certificates" />;
  const items = list.data.items;
  return (
    <div data-certificates>
      {items.length === 0 ? (
        <Empty>
          No certificate known for this station yet (one appears when the station CA signs its CSR, a
          certificate is installed, or the station reports its installed certificates).
        </Empty>
      ) : (
        <div class="scroll" tabIndex={0} role="region" aria-label="Certificates table">
          <table>
            <thead>
              <tr>
                <th scope="col">Serial number</th>
                <th scope="col">Type</th>
                <th scope="col">Subject</th>
                <th scope="col">Valid from</th>
                <th scope="col">Valid until</th>
                <th scope="col">Status</th>
                <th scope="col">Source</th>
                <th scope="col">SHA-256 fingerprint</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={`${c.source}-${c.serialNumber}`} data-certificate={c.serialNumber}>
                  <th scope="row">
                    <code>{c.serialNumber}</code>
                  </th>
                  <td>{c.certificateType}</td>
                  <td>{c.subject ?? '—'}</td>
                  <td>{c.notBefore ? <Time iso={c.notBefore} /> : '—'}</td>
                  <td>{c.notAfter ? <Time iso={c.notAfter} /> : '—'}</td>
                  <td>
                    <span class={`badge ${STATUS[c.status].cls}`}>{STATUS[c.status].word}</span>
                  </td>
                  <td>{SOURCE[c.source]}</td>
                  <td>
                    {c.fingerprint ? <code title={c.fingerprint}>{c.fingerprint.slice(0, 16)}…</code> : '—'}
                  </td>
                  <td>
                    {c.source === 'issued' && c.status === 'ACTIVE' && (
                      <button
                        type="button"
                        class="secondary"
                        disabled={!canWrite || busy}
                        onClick={() => setConfirming(c.serialNumber)}
                      >
                        Revoke <span class="sr-only">{c.serialNumber}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {confirming && (
        <div role="alertdialog" aria-labelledby="confirm-revoke" class="error">
          <p id="confirm-revoke">
            Revoke certificate {confirming}? The station can no longer sign in with it (security profile 3);
            this cannot be undone.
          </p>
          <button type="button" disabled={!canWrite || busy} onClick={() => void revoke(confirming)}>
            Yes, revoke
          </button>{' '}
          <button type="button" class="secondary" ref={cancelRef} onClick={() => setConfirming(null)}>
            Cancel
          </button>
        </div>
      )}
      <p role="status" aria-live="polite" class="outcome">
        {outcome ?? ''}
      </p>
      {error && <ErrorBox error={error} />}
    </div>
  );
}
