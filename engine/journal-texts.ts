/**
 * Long strings written once per journal (engine/journal.ts). A dynamic resource's `__provider` (its
 * serialized provider module, about 2 KB) is the same text in the inputs and outputs of every entry of its
 * type, and URNs repeat between a `begin` and the record that settles it: written in full each time they
 * were most of the journal's bytes. The first time a journal meets such a string it writes a definition
 * line `{"text":<n>,"value":"..."}` just before the record that uses it; records name the strings they
 * left out in `texts`: `[[<entry field>, <property bag or "">, <key>, <n>], ...]`.
 *
 * A definition always precedes its first use in the file, in the same write, so a replay that reads a
 * record has read its definitions (a torn write loses the record along with them).
 */
import { isObject } from "./wire";

/** Strings shorter than this are written in place (a reference costs about 20 bytes). */
const MIN_LENGTH = 64;
/** The record fields that hold whole entries. */
const ENTRY_FIELDS = ["entry", "replaced"] as const;
/** Property bags whose top-level string values may be shared. */
const BAGS = ["inputs", "outputs"] as const;

/** Where a string left out of a record goes back: entry field, bag ("" for the entry itself), key, text number. */
export type TextRef = [string, string, string, number];

/** The writer's side: the strings this journal has defined. */
export class TextTable {
  private readonly ids = new Map<string, number>();

  /**
   * Takes the long strings out of a record's entries (the record must be a copy the caller owns) and names
   * them in `record.texts`; returns the definition lines of strings not yet defined, to be written first.
   */
  intern(record: Record<string, unknown>): string {
    let defs = "";
    const refs: TextRef[] = [];
    const take = (holder: Record<string, unknown>, field: string, bag: string, key: string): void => {
      const value = holder[key];
      if (typeof value !== "string" || value.length < MIN_LENGTH) return;
      let id = this.ids.get(value);
      if (id === undefined) {
        id = this.ids.size + 1;
        this.ids.set(value, id);
        defs += `${JSON.stringify({ text: id, value })}\n`;
      }
      holder[key] = "";
      refs.push([field, bag, key, id]);
    };
    for (const field of ENTRY_FIELDS) {
      const entry = record[field];
      if (!isObject(entry)) continue;
      for (const key of Object.keys(entry)) take(entry, field, "", key);
      for (const bag of BAGS) {
        const props = entry[bag];
        if (isObject(props)) for (const key of Object.keys(props)) take(props, field, bag, key);
      }
    }
    if (refs.length) record.texts = refs;
    return defs;
  }
}

/** The reader's side: a definition line's text number and value, or undefined for any other line. */
export function textDefinition(line: Record<string, unknown>): [number, string] | undefined {
  return typeof line.text === "number" && typeof line.value === "string" && !("kind" in line)
    ? [line.text, line.value]
    : undefined;
}

/** Puts the strings a record left out back in place and drops its `texts`; throws on an undefined text. */
export function restoreTexts(record: Record<string, unknown>, texts: ReadonlyMap<number, string>): void {
  const refs = record.texts;
  delete record.texts;
  if (!Array.isArray(refs)) return;
  for (const ref of refs as TextRef[]) {
    const [field, bag, key, id] = ref;
    const value = texts.get(id);
    const entry = record[field];
    const holder = isObject(entry) ? (bag === "" ? entry : entry[bag]) : undefined;
    if (value === undefined || !isObject(holder)) throw new Error(`journal: text ${id} is not defined before its use`);
    holder[key] = value;
  }
}
