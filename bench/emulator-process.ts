/**
 * The emulator in a process of its own, for the benchmark: the vendor must not share an event loop with
 * the harness that plays the engine (serializing a thousand gRPC requests would stall the "vendor" and
 * bunch its answers). The parent talks to it over the fork IPC channel.
 *
 * Child side: run with `fork(__filename)`; the first message holds the EmulatorOptions.
 * Parent side: {@link startEmulatorProcess}.
 */
import { fork, type ChildProcess } from "node:child_process";
import { startEmulator, type Counters, type EmulatorOptions } from "../emulator";

type Query = "counters" | "reset-counters" | "room-ids" | "stop";

interface Reply {
  readonly id: number;
  readonly value?: unknown;
  readonly error?: string;
}

/** What the benchmark needs from an emulator in another process. */
export interface EmulatorProcess {
  readonly url: string;
  readonly pid: number | undefined;
  stackConfig(): Record<string, string>;
  /** Counters since the last reset, and when the first and last request of that time came (epoch ms, 0: none). */
  counters(): Promise<{ counters: Counters; firstAt: number; lastAt: number }>;
  resetCounters(): Promise<void>;
  roomIds(vendor: "tencent" | "zego"): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(options: Omit<EmulatorOptions, "log" | "now">): Promise<EmulatorProcess> {
  const child: ChildProcess = fork(__filename, [], {
    execArgv: ["-r", "ts-node/register/transpile-only"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let seq = 0;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  const ready = new Promise<{ url: string; stackConfig: Record<string, string> }>((resolve, reject) => {
    child.once("message", (m) => resolve(m as { url: string; stackConfig: Record<string, string> }));
    child.once("exit", (code) => reject(new Error(`emulator process exited with ${code}`)));
  });
  child.send(options);
  const { url, stackConfig } = await ready;
  child.on("message", (m) => {
    const reply = m as Reply;
    const p = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error) p?.reject(new Error(reply.error));
    else p?.resolve(reply.value);
  });
  const ask = <T>(query: Query, arg?: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve: resolve, reject });
      child.send({ id, query, arg });
    });
  let stopped = false;
  return {
    url,
    pid: child.pid,
    stackConfig: () => ({ ...stackConfig }),
    counters: () => ask("counters"),
    resetCounters: () => ask("reset-counters"),
    roomIds: (vendor) => ask("room-ids", vendor),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await ask("stop").catch(() => undefined);
      await exited;
    },
  };
}

/** The child: start the emulator with the first message's options and answer queries. */
async function serve(): Promise<void> {
  const options = await new Promise<EmulatorOptions>((resolve) =>
    process.once("message", (m) => resolve(m as EmulatorOptions)),
  );
  let first = 0;
  let last = 0;
  const stamp = () => {
    const now = performance.timeOrigin + performance.now();
    if (first === 0) first = now;
    last = now;
  };
  const emu = await startEmulator({ ...options, log: stamp });
  const send = (m: unknown) => process.send?.(m);
  process.on("message", (m) => {
    const { id, query, arg } = m as { id: number; query: Query; arg?: string };
    try {
      switch (query) {
        case "counters":
          send({ id, value: { counters: emu.counters(), firstAt: first, lastAt: last } });
          return;
        case "reset-counters":
          emu.resetCounters();
          first = 0;
          last = 0;
          send({ id });
          return;
        case "room-ids":
          send({
            id,
            value: arg === "zego" ? emu.zego.rooms().map((r) => r.roomId) : emu.tencent.rooms().map((r) => r.RoomId),
          });
          return;
        case "stop":
          void emu.stop().then(() => {
            send({ id });
            process.disconnect?.();
          });
          return;
      }
    } catch (err) {
      send({ id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  send({ url: emu.url, stackConfig: emu.stackConfig() });
}

if (require.main === module) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
