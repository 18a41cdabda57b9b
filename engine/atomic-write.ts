/**
 * Writes a file whole or not at all: the text goes to a temporary file beside it, which is then renamed
 * over it (atomic on POSIX), so a crash leaves the old text or the new one, never part of either.
 */
import * as fs from "node:fs";

/** `fsync`: the text is on disk before the rename (the checkpoint, which a later journal replays onto). */
export function writeFileAtomically(file: string, text: string, options: { readonly fsync?: boolean } = {}): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, text);
    if (options.fsync) fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
