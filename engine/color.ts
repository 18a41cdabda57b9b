/**
 * Whether the engine's report may carry colour (ANSI escapes), decided from the environment as Node.js
 * decides it for its own output (https://nodejs.org/api/tty.html#writestreamgetcolordepthenv and
 * https://nodejs.org/api/cli.html#force_color1-2-3): `FORCE_COLOR` wins (empty, `1`, `2`, `3` or `true`
 * turn colour on, even into a pipe; any other value, such as `0`, off); otherwise `NO_COLOR` when present
 * and not empty (https://no-color.org), `NODE_DISABLE_COLORS` or `TERM=dumb` turn it off; otherwise only
 * a terminal gets colour.
 */

/** True when output to a stream that is (`isTTY`) or is not a terminal should be coloured. */
export function useColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return ["", "1", "2", "3", "true"].includes(force);
  if (env.NO_COLOR || env.NODE_DISABLE_COLORS !== undefined || env.TERM === "dumb") return false;
  return isTTY;
}
