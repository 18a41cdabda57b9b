import { strict as assert } from "node:assert";
import { scopeHash } from "../../../provider/core/naming";

describe("core naming: scopeHash", () => {
  it("is stable for one (project, stack, name) and differs across stacks, projects and names", () => {
    const a = scopeHash("rooms", "dev", "standup");
    assert.equal(a, scopeHash("rooms", "dev", "standup"));
    assert.match(a, /^[0-9a-f]{8}$/);
    assert.notEqual(a, scopeHash("rooms", "prod", "standup"));
    assert.notEqual(a, scopeHash("other", "dev", "standup"));
    assert.notEqual(a, scopeHash("rooms", "dev", "lobby"));
  });
  it("keeps the parts apart (no ambiguity from joining them)", () => {
    assert.notEqual(scopeHash("a-b", "c", "n"), scopeHash("a", "b-c", "n"));
  });
  it("honours and checks the length", () => {
    assert.equal(scopeHash("p", "s", "n", 6).length, 6);
    assert.throws(() => scopeHash("p", "s", "n", 3), /4 to 64/);
  });
});
