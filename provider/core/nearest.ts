/**
 * "Did you mean": the closest known name to a misspelled one. A neutral leaf (Node only, no vendor, no
 * vendor rule) shared by the provider's check messages, the engine's flags and stack settings, and the
 * emulator's options and fault plans (docs/architecture.md, "What each part may import").
 */

/**
 * The closest name to a misspelled key: same letters in another case; one a prefix of the other
 * (`scheduleStart`, `destroyDelay`); or a few edits apart (more for longer names).
 */
export function nearest(key: string, names: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const same = names.find((name) => name.toLowerCase() === lower);
  if (same) return same;
  if (lower.length >= 4) {
    const prefixed = names.filter(
      (name) => name.toLowerCase().startsWith(lower) || lower.startsWith(name.toLowerCase()),
    );
    if (prefixed.length > 0)
      return prefixed.sort((a, b) => Math.abs(a.length - key.length) - Math.abs(b.length - key.length))[0];
  }
  const allowed = Math.max(2, Math.floor(key.length / 5));
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(name.toLowerCase(), lower);
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    row = next;
  }
  return row[b.length] ?? 0;
}
