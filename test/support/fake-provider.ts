/**
 * A provider for the engine's unit tests, without gRPC or a host process: Check passes the new inputs
 * through, Diff answers what the test set, Create/Update/Read/Delete answer from an in-memory room table.
 * Every call is recorded in order; a test can make any method throw.
 */
import type { CheckFailure, DiffAnswer } from "../../engine/provider-host";
import type { ResourceProvider } from "../../engine/step";
import { emptyStack, type ResourceState, type StackState } from "../../engine/state";
import { makeUrn, typeOf, type Props } from "../../engine/wire";

export type FakeMethod = "check" | "diff" | "create" | "update" | "read" | "delete";

export class FakeProvider implements ResourceProvider {
  readonly calls: { method: FakeMethod; urn: string; olds?: Props; news?: Props; id?: string }[] = [];
  /** What Diff answers (default: no change). */
  diffAnswer: DiffAnswer = { changes: "DIFF_NONE", replaces: [], deleteBeforeReplace: false };

  /** Diff will answer that `roomId` changed, a replacement (deleting first when `deleteBeforeReplace`). */
  replacesRoomId(deleteBeforeReplace: boolean): void {
    this.diffAnswer = { changes: "DIFF_SOME", replaces: ["roomId"], deleteBeforeReplace };
  }
  /** What Check reports as failures (default: none). */
  checkFailures: CheckFailure[] = [];
  /** Methods that throw this error instead of answering. */
  readonly failing = new Map<FakeMethod, Error>();
  private next = 0;

  async check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    this.called("check", urn, { olds, news });
    return { inputs: news, failures: this.checkFailures };
  }

  async diff(id: string, urn: string, olds: Props, news: Props): Promise<DiffAnswer> {
    this.called("diff", urn, { id, olds, news });
    return this.diffAnswer;
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    this.called("create", urn, { news: properties });
    return { id: `id-${++this.next}`, properties: { ...properties, made: true } };
  }

  async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
    this.called("update", urn, { id, olds, news });
    return { properties: { ...news, made: true } };
  }

  async read(id: string, urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    this.called("read", urn, { id, olds: properties });
    return { id, properties };
  }

  async delete(id: string, urn: string): Promise<void> {
    this.called("delete", urn, { id });
  }

  /** The methods called, as `method name` strings (name: the URN's last segment). */
  get log(): string[] {
    return this.calls.map((c) => `${c.method} ${c.urn.slice(c.urn.lastIndexOf("::") + 2)}${c.id ? ` ${c.id}` : ""}`);
  }

  private called(method: FakeMethod, urn: string, details: { olds?: Props; news?: Props; id?: string }): void {
    this.calls.push({ method, urn, ...details });
    const error = this.failing.get(method);
    if (error) throw error;
  }
}

/** The URN of a dynamic resource named `name` in the unit tests' stack. */
export function urnOf(name: string): string {
  return makeUrn("demo", "proj", "pulumi-nodejs:dynamic:Resource", name);
}

/** A dynamic resource's state entry, as a previous `up` left it. */
export function entry(name: string, id: string, inputs: Props, extra: Partial<ResourceState> = {}): ResourceState {
  return {
    urn: urnOf(name),
    custom: true,
    type: "pulumi-nodejs:dynamic:Resource",
    id,
    inputs,
    outputs: { ...inputs, made: true },
    ...extra,
  };
}

/** A stack state holding these entries. */
export function stackOf(...entries: ResourceState[]): StackState {
  const stack = emptyStack();
  for (const e of entries) stack.resources.set(e.urn, e);
  return stack;
}

/** The stack resource's state entry (no id, no inputs). */
export function stackEntry(urn: string, outputs: Props = {}): ResourceState {
  return { urn, custom: false, type: "pulumi:pulumi:Stack", id: "", inputs: {}, outputs };
}

/** A custom resource's state entry; its type is the one its URN names. */
export function customEntry(urn: string, id: string, fields: Partial<ResourceState> = {}): ResourceState {
  return { urn, custom: true, type: typeOf(urn), id, inputs: {}, outputs: {}, ...fields };
}
