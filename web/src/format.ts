/** Times in the browser's own zone, relative ("2 min ago") with the absolute time beside; numbers with units. */
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return relative.format(seconds, 'second');
  if (abs < 45 * 60) return relative.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return relative.format(Math.round(seconds / 3600), 'hour');
  return relative.format(Math.round(seconds / 86400), 'day');
}

export function absoluteTime(iso: string | null | undefined): string {
  return iso ? absolute.format(new Date(iso)) : '';
}

export function kWh(wh: number | null | undefined): string {
  if (wh === null || wh === undefined) return '—';
  return `${(wh / 1000).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })} kWh`;
}

export function kW(w: number | null | undefined): string {
  if (w === null || w === undefined) return '—';
  return `${(w / 1000).toLocaleString(undefined, { maximumFractionDigits: 2 })} kW`;
}

export function duration(fromIso: string | null, toIso: string | null, now: number = Date.now()): string {
  if (!fromIso) return '—';
  const ms = (toIso ? Date.parse(toIso) : now) - Date.parse(fromIso);
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}
