/**
 * Where a resolve run spends time and memory: each phase's wall seconds, the heap and resident
 * set size when it ended, and the process's peak resident set size so far. Cheap enough to be on
 * for every run; `mdm resolve --profile` prints it, the run's summary keeps it.
 */
export interface PhaseFigure {
  phase: string;
  seconds: number;
  /** Processor time of the process (all its threads, user + system) during the phase; steadier than wall time on a busy machine. */
  cpuSeconds: number;
  /** V8 heap in use when the phase ended (MB). */
  heapMb: number;
  /** Resident set size when the phase ended (MB). */
  rssMb: number;
  /** Peak resident set size of the process up to the end of the phase (MB). */
  peakRssMb: number;
}

const MB = 1024 * 1024;

export class PhaseClock {
  readonly phases: PhaseFigure[] = [];
  private last = performance.now();
  private lastCpu = process.cpuUsage();

  /** Ends the phase called `phase` (it began where the previous one ended). */
  mark(phase: string): void {
    const now = performance.now();
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage(this.lastCpu);
    this.phases.push({
      phase,
      seconds: round((now - this.last) / 1000, 3),
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3),
      heapMb: round(memory.heapUsed / MB, 0),
      rssMb: round(memory.rss / MB, 0),
      peakRssMb: round((process.resourceUsage().maxRSS * 1024) / MB, 0),
    });
    this.last = now;
    this.lastCpu = process.cpuUsage();
  }
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** One line per phase, for a terminal. */
export function formatPhases(entity: string, phases: readonly PhaseFigure[]): string {
  return phases
    .map((p) => `${entity.padEnd(9)} ${p.phase.padEnd(28)} ${p.seconds.toFixed(2).padStart(8)} s  cpu ${p.cpuSeconds.toFixed(2).padStart(8)} s  heap ${String(p.heapMb).padStart(5)} MB  rss ${String(p.rssMb).padStart(5)} MB  peak ${String(p.peakRssMb).padStart(5)} MB`)
    .join('\n');
}
