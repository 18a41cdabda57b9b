/**
 * The engine's heap grows at most half beyond what the last full garbage collection kept. V8 lets the old
 * generation grow to several times its live size before it collects again (its growing factor adapts up to
 * 4x in a busy process): at 1000 rooms the engine keeps about 35 MB live, yet its resident size reached
 * 220-260 MiB with the garbage of each step's protobuf messages. V8 reads `--heap-growing-percent` at each
 * full collection, so unlike the heap and semi-space sizes it takes effect when set at run time; measured
 * at 1000 rooms: peak 222-232 -> 156-173 MiB for the same CPU. A value given on the command line wins.
 */
import * as v8 from "node:v8";

/** Sets the growing percent unless node was started with one; true when it set it. */
export function limitHeapGrowth(percent = 50, execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent\b/.test(a))) return false;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
  return true;
}
