/** What the machine is doing while a benchmark runs: CPU of the machine and of PostgreSQL. */
import fs from 'node:fs';

/** Busy and total jiffies of all cores (Linux /proc/stat), or null elsewhere. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const fields = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by the PostgreSQL server's processes (Linux /proc), or null when the
 * database is embedded or on another machine.
 */
export function postgresCpu(database: { kind: string; location: string }): number | null {
  if (
    database.kind !== 'postgres' ||
    !/^postgres(ql)?:\/\/[^/]*(127\.0\.0\.1|localhost)/.test(database.location)
  )
    return null;
  try {
    let ticks = 0;
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // The process ended meanwhile.
      }
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/**
 * Waits (up to `seconds`) until other processes leave the machine mostly idle, since this is a
 * shared 2-core machine, and says how busy it was: figures taken under load are not comparable.
 */
export async function quietMachine(seconds: number): Promise<string> {
  const deadline = performance.now() + seconds * 1000;
  let busy = 0;
  do {
    const a = machineCpu();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const b = machineCpu();
    if (!a || !b) return 'machine load unknown';
    busy = (b.busy - a.busy) / (b.total - a.total);
  } while (busy > 0.15 && performance.now() < deadline);
  return `other processes kept the machine ${Math.round(busy * 100)}% busy just before${busy > 0.15 ? ' (still busy after waiting; figures are pessimistic)' : ''}`;
}
