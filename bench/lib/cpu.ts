/**
 * CPU used by the benchmark's own processes and by everything else on the machine over an
 * interval (Linux /proc; elsewhere nothing is reported). Other work on a 2-core machine skews
 * every latency figure, so each step says how much there was.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc (USER_HZ), the same unit in /proc/stat and /proc/PID/stat. */
const TICKS_PER_SECOND = 100;

function machineBusyTicks(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    // user nice system idle iowait irq softirq steal ...
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const total = fields.slice(0, 8).reduce((t, v) => t + v, 0);
    return total - idle;
  } catch {
    return undefined;
  }
}

function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces): utime is the 14th field, stime the 15th.
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(after[11]) + Number(after[12]);
  } catch {
    return 0;
  }
}

export interface CpuShare {
  /** Average cores used by the given processes. */
  readonly ours: number;
  /** Average cores used by everything else. */
  readonly others: number;
}

/** Starts measuring; the returned function ends the interval. */
export function measureCpu(pids: readonly number[]): () => CpuShare | undefined {
  const startedAt = performance.now();
  const machine = machineBusyTicks();
  const ours = pids.reduce((t, pid) => t + processTicks(pid), 0);
  return () => {
    const machineNow = machineBusyTicks();
    if (machine === undefined || machineNow === undefined) return undefined;
    const seconds = (performance.now() - startedAt) / 1000;
    const oursNow = pids.reduce((t, pid) => t + processTicks(pid), 0);
    const oursCores = (oursNow - ours) / TICKS_PER_SECOND / seconds;
    const machineCores = (machineNow - machine) / TICKS_PER_SECOND / seconds;
    return { ours: oursCores, others: Math.max(0, machineCores - oursCores) };
  };
}
