/**
 * What a process tree costs on Linux, read from /proc: each process's peak resident memory (`VmHWM`), CPU
 * time and disk writes, sampled while it runs, and the exact disk writes of a whole tree once it has ended.
 *
 * Exact totals: when a process is reaped, the kernel adds its I/O counters (and those of the children it
 * reaped) to its parent's `/proc/<pid>/io` (see `wait_task_zombie` in the kernel's exit.c), so the
 * benchmark's own `write_bytes` before and after the engine ran is everything the engine, its runtime, its
 * host and its embedded emulator sent to the storage layer, with nothing lost between samples.
 */
import * as fs from "node:fs";

/** `write_bytes` (bytes sent, or to be sent, to storage) and `cancelled_write_bytes` (truncated before writeback). */
export interface DiskWrites {
  readonly writeBytes: number;
  readonly cancelledWriteBytes: number;
}

/** The I/O counters of a process (`self` for this one), or undefined once it is gone. */
export function diskWrites(pid: number | "self"): DiskWrites | undefined {
  try {
    const fields = new Map(
      fs
        .readFileSync(`/proc/${pid}/io`, "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split(": ") as [string, string]),
    );
    return {
      writeBytes: Number(fields.get("write_bytes")),
      cancelledWriteBytes: Number(fields.get("cancelled_write_bytes")),
    };
  } catch {
    return undefined;
  }
}

/** What a process is in the engine's tree, from its command line. */
export type Role = "engine" | "runtime" | "host" | "other";

/** A process seen under the engine: its last sampled peak memory and disk writes. */
export interface ProcessSeen {
  readonly pid: number;
  /** Read again until known: a child's command line is its parent's until it has exec'd. */
  role: Role;
  command: string;
  /** When it started, in ms after the root did (from /proc/<pid>/stat, 10 ms resolution). */
  readonly startMs: number;
  /** When a sample last saw it, in ms after the sampler started (it ended within `everyMs` after). */
  lastSeenMs: number;
  peakKiB: number;
  writeBytes: number;
  /** CPU time (user + system, ms) at its last sample: within `everyMs` of its total. */
  cpuMs: number;
}

/** The fields of /proc/<pid>/stat after the command name (field 3, the state, first). */
function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

function parentOf(pid: string): number | undefined {
  const ppid = statFields(pid)?.[1];
  return ppid === undefined ? undefined : Number(ppid);
}

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux x86-64 and arm64). */
const TICKS_PER_SECOND = 100;

/** A process's start (field 22, clock ticks since boot), in ms. */
function startedMs(pid: number): number | undefined {
  const ticks = statFields(pid)?.[19];
  return ticks === undefined ? undefined : (Number(ticks) * 1000) / TICKS_PER_SECOND;
}

/** Every process under `root` (this kernel has no /proc/<pid>/task/<tid>/children: a scan of /proc). */
export function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(entry);
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/** A process's CPU time so far (utime + stime, fields 14 and 15), in ms. */
function cpuMsOf(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

function peakKiB(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function roleOf(pid: number, root: number, command: string): Role {
  if (pid === root) return "engine";
  // The runtime is @pulumi/pulumi's cmd/run; the dynamic-provider host is its provider entry point.
  if (command.includes("cmd/run")) return "runtime";
  if (command.includes("provider")) return "host";
  return "other";
}

/**
 * Samples the tree under `root` every `everyMs` until stopped. `VmHWM` only grows, so a process's last
 * sample is its peak up to `everyMs` before it ended.
 */
export class TreeSampler {
  readonly seen = new Map<number, ProcessSeen>();
  private readonly timer: NodeJS.Timeout;
  private readonly origin = performance.now();
  private readonly rootStartMs: number;

  constructor(
    private readonly root: number,
    everyMs = 50,
  ) {
    this.rootStartMs = startedMs(root) ?? 0;
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    for (const pid of [this.root, ...descendantsOf(this.root)]) {
      let entry = this.seen.get(pid);
      if (!entry || entry.role === "other") {
        let command: string;
        try {
          command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
        } catch {
          continue;
        }
        if (entry) {
          entry.command = command;
          entry.role = roleOf(pid, this.root, command);
        } else {
          const startMs = (startedMs(pid) ?? this.rootStartMs) - this.rootStartMs;
          entry = {
            pid,
            role: roleOf(pid, this.root, command),
            command,
            startMs,
            lastSeenMs: 0,
            peakKiB: 0,
            writeBytes: 0,
            cpuMs: 0,
          };
          this.seen.set(pid, entry);
        }
      }
      const peak = peakKiB(pid);
      if (peak === undefined) continue;
      entry.lastSeenMs = performance.now() - this.origin;
      entry.peakKiB = Math.max(entry.peakKiB, peak);
      entry.writeBytes = Math.max(entry.writeBytes, diskWrites(pid)?.writeBytes ?? 0);
      entry.cpuMs = Math.max(entry.cpuMs, cpuMsOf(pid) ?? 0);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The largest peak of the processes of one role (MiB), undefined when none was seen. */
  peakMiB(role: Role): number | undefined {
    const peaks = [...this.seen.values()].filter((p) => p.role === role).map((p) => p.peakKiB);
    return peaks.length ? Math.max(...peaks) / 1024 : undefined;
  }

  /** The CPU time (s) of the processes of one role, summed; undefined when none was seen. */
  cpuSeconds(role: Role): number | undefined {
    const all = [...this.seen.values()].filter((p) => p.role === role);
    return all.length ? all.reduce((sum, p) => sum + p.cpuMs, 0) / 1000 : undefined;
  }

  count(role: Role): number {
    return [...this.seen.values()].filter((p) => p.role === role).length;
  }

  /** The first process of a role (the runtime and the host are started once per operation). */
  first(role: Role): ProcessSeen | undefined {
    return [...this.seen.values()].find((p) => p.role === role);
  }
}
