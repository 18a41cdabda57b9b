/**
 * docs/vendor-sources.md's code table against the code: every vendor code the clients or the emulator use has
 * a row, and the row's "client" column says what the client does with it (retry, slow down, adopt, gone,
 * register, a hint).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as tencentCodes from "../../provider/tencent/codes";
import * as zegoCodes from "../../provider/zego/codes";
import { TENCENT_MESSAGES } from "../../emulator/tencent/codes";
import { ZEGO_MESSAGES, ZegoCode } from "../../emulator/zego/codes";

interface Row {
  readonly vendor: "ZEGO" | "Tencent";
  readonly code: number;
  readonly client: string;
  readonly emulator: string;
}

/** The rows of the table under "## Code table": | vendor | code | meaning | page | client | emulator |. */
function codeTable(): Row[] {
  const doc = readFileSync(join(__dirname, "..", "..", "docs", "vendor-sources.md"), "utf8");
  const start = doc.indexOf("\n## Code table\n");
  assert.ok(start >= 0, "docs/vendor-sources.md has a '## Code table' section");
  const end = doc.indexOf("\n## ", start + 1);
  const rows: Row[] = [];
  for (const line of doc.slice(start, end < 0 ? undefined : end).split("\n")) {
    const cells = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    if (cells.length !== 6 || (cells[0] !== "ZEGO" && cells[0] !== "Tencent")) continue;
    const [vendor, code, , , client, emulator] = cells as [Row["vendor"], string, string, string, string, string];
    assert.match(code, /^\d+$/, `the code cell of ${line}`);
    rows.push({ vendor, code: Number(code), client, emulator });
  }
  return rows;
}

/** Every number a codes module exports: numbers, members of sets, numeric keys of records. */
function codesOf(mod: Readonly<Record<string, unknown>>): number[] {
  const codes = new Set<number>();
  for (const value of Object.values(mod)) {
    if (typeof value === "number") {
      codes.add(value);
    } else if (value instanceof Set) {
      for (const v of value as Set<unknown>) if (typeof v === "number") codes.add(v);
    } else if (typeof value === "object" && value !== null) {
      for (const k of Object.keys(value)) if (/^\d+$/.test(k)) codes.add(Number(k));
    }
  }
  return [...codes].sort((a, b) => a - b);
}

describe("docs/vendor-sources.md code table", () => {
  const rows = codeTable();
  const table = (vendor: Row["vendor"]) => new Map(rows.filter((r) => r.vendor === vendor).map((r) => [r.code, r]));
  const zego = table("ZEGO");
  const tencent = table("Tencent");

  it("has each vendor code once", () => {
    assert.equal(zego.size + tencent.size, rows.length, "no code appears twice for one vendor");
    assert.ok(zego.size > 30 && tencent.size > 30);
  });

  it("lists every code in provider/zego/codes.ts and provider/tencent/codes.ts", () => {
    assert.deepEqual(
      codesOf(zegoCodes).filter((c) => !zego.has(c)),
      [],
    );
    assert.deepEqual(
      codesOf(tencentCodes).filter((c) => !tencent.has(c)),
      [],
    );
  });

  it("lists every code the emulator answers", () => {
    const emulatorZego = [...Object.values(ZegoCode), ...Object.keys(ZEGO_MESSAGES).map(Number)];
    assert.deepEqual(
      emulatorZego.filter((c) => !zego.has(c)),
      [],
    );
    assert.deepEqual(
      Object.keys(TENCENT_MESSAGES)
        .map(Number)
        .filter((c) => !tencent.has(c)),
      [],
    );
    for (const code of emulatorZego)
      assert.notEqual(zego.get(code)?.emulator, "—", `ZEGO ${code}: the emulator column says when`);
    for (const code of Object.keys(TENCENT_MESSAGES))
      assert.notEqual(tencent.get(Number(code))?.emulator, "—", `Tencent ${code}: the emulator column says when`);
  });

  /** Asserts that what a row's client column says agrees with what the client does (`what` names the check). */
  function agrees(vendor: string, code: number, client: string) {
    return (says: boolean, does: boolean, what: string) =>
      assert.equal(says, does, `${vendor} ${code} ${what}: ${client}`);
  }

  it("ZEGO: the client column matches the client's classification", () => {
    for (const [code, row] of zego) {
      const says = (word: string) => row.client.startsWith(word);
      const agree = agrees("ZEGO", code, row.client);
      agree(says("retry"), zegoCodes.RETRYABLE_CODES.has(code), "retry");
      agree(row.client.includes("slows"), zegoCodes.SLOW_DOWN_CODES.has(code), "slows");
      agree(row.client.includes("slows app"), zegoCodes.APP_WIDE_LIMIT_CODES.has(code), "slows app");
      agree(says("adopt"), code === zegoCodes.ROOM_EXISTS, "adopt");
      agree(says("gone"), code === zegoCodes.ROOM_GONE, "gone");
      agree(says("register"), zegoCodes.OPERATOR_NOT_REGISTERED.has(code), "register");
      // The vendor's suggested action reaches the user: every code that fails, or can fail after its retries, has a hint.
      if (says("fail") || says("retry")) assert.ok(zegoCodes.HINTS[code], `ZEGO ${code} has a hint`);
    }
    assert.deepEqual(
      [0, zegoCodes.ROOM_USER_LIST_EMPTY, zegoCodes.USER_EXISTS].map((c) => zego.get(c)?.client.startsWith("success")),
      [true, true, true],
    );
  });

  it("Tencent: the client column matches the client's classification", () => {
    for (const [code, row] of tencent) {
      const says = (word: string) => row.client.startsWith(word);
      const agree = agrees("Tencent", code, row.client);
      const retryable = (command: string) => tencentCodes.isRetryable(command, code);
      agree(says("retry"), retryable("create_room"), "retry");
      agree(row.client.includes("(create_room only)"), !retryable("destroy_room") && retryable("create_room"), "retry");
      agree(row.client.includes("slows"), tencentCodes.SLOW_DOWN_CODES.has(code), "slows");
      agree(row.client.includes("slows app"), tencentCodes.APP_WIDE_LIMIT_CODES.has(code), "slows app");
      agree(says("adopt"), tencentCodes.EXISTS_CODES.has(code), "adopt");
      agree(says("gone"), code === tencentCodes.ROOM_GONE, "gone");
    }
  });
});
