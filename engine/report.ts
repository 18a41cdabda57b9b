/**
 * What the user reads, on standard error (standard output stays for `output --json` and `export`): one line
 * per resource as its step ends (operation, type, name, duration), program and engine diagnostics, then
 * the plan or summary in the CLI's words, the duration and the stack outputs. `--diff` adds the changed
 * properties of each step, old => new.
 */
import { stripVTControlCharacters } from "node:util";
import type { LogLevel } from "./monitor";
import type { Step } from "./step";
import { isObject, isSecret, nameOf, UNKNOWN, type Props } from "./wire";

export type Operation = "preview" | "up" | "refresh" | "destroy";

const SYMBOL: Record<Step["op"], string> = {
  create: "+ ",
  update: "~ ",
  replace: "+-",
  delete: "- ",
  same: "  ",
  "refresh-same": "  ",
  "refresh-update": "~ ",
  "refresh-delete": "- ",
};
const DONE: Record<Step["op"], [string, string]> = {
  create: ["create", "created"],
  update: ["update", "updated"],
  replace: ["replace", "replaced"],
  delete: ["delete", "deleted"],
  same: ["same", "unchanged"],
  "refresh-same": ["refresh", "unchanged"],
  "refresh-update": ["refresh", "updated"],
  "refresh-delete": ["refresh", "deleted"],
};

/**
 * What became of the stack's state when an operation failed or was cancelled: a preview writes nothing,
 * the others record each finished step as it ends.
 */
export function stateAfterFailure(operation: Operation): string {
  return operation === "preview"
    ? "a preview changes nothing, so nothing was saved"
    : "what completed is saved in the checkpoint";
}

export class Report {
  private readonly started = Date.now();
  private readonly write: (line: string) => void;

  /**
   * `color`: the lines go to a terminal that shows colours (engine/color.ts). Without it, the ANSI escapes
   * that program output carries (Pulumi's runtime colours the errors it formats) are removed.
   */
  constructor(
    write: (line: string) => void,
    private readonly options: { diff?: boolean; verbose?: boolean; color?: boolean } = {},
  ) {
    this.write = options.color ? write : (line) => write(stripVTControlCharacters(line));
  }

  line(text = ""): void {
    this.write(text);
  }

  header(operation: Operation, project: string, stack: string): void {
    const verb = { preview: "Previewing update", up: "Updating", refresh: "Refreshing", destroy: "Destroying" }[
      operation
    ];
    this.write(`${verb} (${stack}) of ${project} with pulumi-rooms-local (emulator only):`);
    this.write("");
  }

  /** A step has ended (or, in preview, been planned). */
  step(step: Step, preview: boolean): void {
    if (step.op === "same" || step.op === "refresh-same") {
      if (!step.error) return;
    }
    const [plan, done] = DONE[step.op];
    const failed = step.error || step.failures?.length;
    const status = failed ? `**${preview ? plan : `${plan}`} failed**` : preview ? plan : done;
    const time = step.ms !== undefined && !preview ? ` (${(step.ms / 1000).toFixed(2)}s)` : "";
    this.write(` ${SYMBOL[step.op]}  ${(step.type ?? "").padEnd(40)} ${nameOf(step.urn).padEnd(24)} ${status}${time}`);
    if (this.options.diff && step.changed?.length) {
      for (const key of step.changed)
        this.write(`        ${key}: ${show(step.before?.[key])} => ${show(step.after?.[key])}`);
    } else if (step.op === "replace" && step.diff?.replaces.length) {
      this.write(
        `        (replaces on ${step.diff.replaces.join(", ")}${step.deleteBeforeReplace ? "; deletes the old room first" : ""})`,
      );
    }
    for (const f of step.failures ?? []) this.write(`    error: ${f.property}: ${f.reason}`);
    if (step.error) this.write(`    error: ${errorText(step.error)}`);
  }

  /** A program or engine diagnostic. Debug lines show only with --verbose. */
  log(level: LogLevel, message: string, urn = ""): void {
    if (level === "debug" && !this.options.verbose) return;
    const who = urn ? `${nameOf(urn)}: ` : "";
    for (const l of message.replace(/\n+$/, "").split("\n"))
      this.write(`    ${level === "info" ? "" : `${level}: `}${who}${l}`);
  }

  /** The closing lines: counts (or the plan), the duration and the stack outputs. */
  summary(operation: Operation, steps: readonly Step[], outputs: Props | undefined, failed: boolean): void {
    const count = (ops: Step["op"][]) =>
      steps.filter((s) => ops.includes(s.op) && !s.error && !s.failures?.length).length;
    const preview = operation === "preview";
    const rows: [string, number, string][] = [
      ["+ ", count(["create"]), preview ? "to create" : "created"],
      ["~ ", count(["update", "refresh-update"]), preview ? "to update" : "updated"],
      ["+-", count(["replace"]), preview ? "to replace" : "replaced"],
      ["- ", count(["delete", "refresh-delete"]), preview ? "to delete" : "deleted"],
    ];
    const unchanged = count(["same", "refresh-same"]);
    const failures = steps.filter((s) => s.error || s.failures?.length).length;
    this.write("");
    if (outputs && Object.keys(outputs).length && !preview) {
      this.write("Outputs:");
      for (const [k, v] of Object.entries(outputs)) this.write(`    ${k}: ${show(v)}`);
      this.write("");
    }
    this.write("Resources:");
    const changes = rows.filter(([, n]) => n > 0);
    for (const [sym, n, label] of changes) this.write(`    ${sym}${n} ${label}`);
    if (unchanged) this.write(`    ${unchanged} unchanged`);
    if (changes.length === 0 && !failures && !unchanged) this.write("    no resources");
    if (failures) this.write(`    ${failures} failed`);
    this.write("");
    this.write(`Duration: ${((Date.now() - this.started) / 1000).toFixed(1)}s`);
    if (failed) this.write(`error: ${operation} failed (see the errors above); ${stateAfterFailure(operation)}`);
  }
}

/** A property value as the CLI shows it: secrets hidden, unknowns as `output<unknown>`. */
export function show(value: unknown): string {
  if (value === undefined) return "(none)";
  return JSON.stringify(redact(value));
}

/** Secrets replaced by "[secret]", as `pulumi stack output` prints them. */
export function redact(value: unknown): unknown {
  if (isSecret(value)) return "[secret]";
  if (value === UNKNOWN) return "output<unknown>";
  if (Array.isArray(value)) return value.map(redact);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
  return value;
}

/** The provider's message (vendor code, RequestId and hint) without the gRPC wrapping. */
export function errorText(error: Error): string {
  const details = (error as { details?: unknown }).details;
  return typeof details === "string" && details ? details : error.message;
}
