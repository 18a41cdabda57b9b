// Rooms view: a card per room of both vendors with every field, the stack and resource (URN) that declared it,
// ZEGO attributes with their seq; search and filter.
import { $, el, localDateTime, utcDateTime } from "./dom.js";

const TENCENT_TIMES = new Set(["ScheduleStartTime", "ScheduleEndTime", "CreateTime"]);

function fieldValue(key, value) {
  if (TENCENT_TIMES.has(key)) return [localDateTime(value * 1000), `${value} (${utcDateTime(value * 1000)})`];
  if ((key === "createdAt" || key === "destroyAt") && typeof value === "number")
    return [localDateTime(value), `${value} (${utcDateTime(value)})`];
  if (value === null) return ["—", "null"];
  if (typeof value === "string" && value === "") return ['""', "empty string"];
  return [typeof value === "object" ? JSON.stringify(value) : String(value), undefined];
}

function fieldList(record, skip) {
  const dl = el("dl", { class: "fields" });
  for (const [k, v] of Object.entries(record)) {
    if (skip.includes(k)) continue;
    const [shown, title] = fieldValue(k, v);
    dl.append(
      el("div", { class: "field" }, [el("dt", { text: k }), el("dd", { "data-field": k, title, text: shown })]),
    );
  }
  return dl;
}

/**
 * Who declared the room: each stack and URN the local engine told the emulator of. When stacks told it and
 * none declared this room, that is said too (a room made outside those stacks, or one a stack forgot).
 */
function declaredLine(declared, stacks) {
  if (declared.length)
    return el(
      "div",
      { class: "declared", "data-declared": "" },
      declared.flatMap((d) => [
        el("span", { class: "muted", text: `stack ${d.stack}` }),
        el("code", { class: "urn", "data-urn": d.urn, text: d.urn }),
      ]),
    );
  if (!stacks.length) return null;
  return el("div", {
    class: "declared muted",
    "data-declared": "none",
    text: `not declared by stack ${stacks.join(", ")}`,
  });
}

/** A table with a header row and a row per item (`row(item)`), or the `empty` note when there is none. */
function tableOr(items, headers, row, empty) {
  if (!items.length) return el("div", { class: "muted", text: empty });
  return el("table", {}, [el("thead", {}, [el("tr", {}, headers)]), el("tbody", {}, items.map(row))]);
}

function tencentCard(room, nowMs, declared, stacks) {
  const status = nowMs < room.ScheduleStartTime * 1000 ? "NotStarted" : "Running";
  const card = el("article", { class: "card tencent", "data-room": `tencent:${room.RoomId}` }, [
    el("h3", {}, [
      el("span", { class: "badge", text: "Tencent" }),
      el("span", { class: "name", text: room.RoomName }),
      el("code", { text: room.RoomId }),
      el("span", { class: "badge status", text: status }),
    ]),
    declaredLine(declared, stacks),
    fieldList(room, ["Invitees", "Members"]),
    el("h4", { text: `Invitees (${room.Invitees.length})` }),
    el("div", { class: "muted", "data-list": "invitees", text: room.Invitees.join(", ") || "none" }),
    el("h4", { text: `Members (${room.Members.length})` }),
  ]);
  card.append(
    tableOr(
      room.Members,
      ["Member_Account", "Role", "NameCard", "CustomInfo", "Marks"].map((h) => el("th", { text: h })),
      (m) =>
        el(
          "tr",
          {},
          [m.Member_Account, m.Role, m.NameCard, m.CustomInfo, JSON.stringify(m.Marks)].map((v) =>
            el("td", { text: v }),
          ),
        ),
      "nobody in the room",
    ),
  );
  return card;
}

function zegoCard(room, declared, stacks) {
  const card = el("article", { class: "card zego", "data-room": `zego:${room.roomId}` }, [
    el("h3", {}, [
      el("span", { class: "badge zego", text: "ZEGO" }),
      el("span", { class: "name", text: room.roomName || "(no name)" }),
      el("code", { text: room.roomId }),
    ]),
    declaredLine(declared, stacks),
    fieldList(room, ["attributes", "users"]),
    el("h4", { text: `Attributes (${room.attributes.length}) · room AttributeSeq ${room.attributeSeq}` }),
  ]);
  card.append(
    tableOr(
      room.attributes,
      ["key", "value", "seq", "autoDelete", "owner"].map((h) =>
        el("th", { text: h, class: h === "seq" ? "num" : undefined }),
      ),
      (a) =>
        el("tr", { "data-attr": a.key }, [
          el("td", {}, [el("code", { text: a.key })]),
          el("td", { class: "value", text: a.value }),
          el("td", { class: "num seq", text: a.seq }),
          el("td", { text: a.autoDelete }),
          el("td", { text: a.owner }),
        ]),
      "no attributes",
    ),
    el("h4", { text: `Users in the room (${room.users.length})` }),
    el("div", {
      class: "muted",
      text:
        room.users.map((u) => `${u.userId} (${u.userName}, joined ${localDateTime(u.joinedAt)})`).join(", ") ||
        "nobody",
    }),
  );
  return card;
}

/** Renders the room cards (only when the rooms, the search or the filter changed). */
export function renderRooms(state) {
  const { rooms, now, declaredBy } = state.data;
  const query = $("room-search").value.trim().toLowerCase();
  const vendor = $("room-vendor").value;
  const key = JSON.stringify([rooms, declaredBy, query, vendor, Math.floor(now / 60000)]);
  $("count-rooms").textContent = String(rooms.tencent.length + rooms.zego.length);
  if (key === state.roomsKey) return;
  state.roomsKey = key;
  const stacks = [
    ...new Set(Object.values(declaredBy).flatMap((byId) => Object.values(byId).flatMap((l) => l.map((d) => d.stack)))),
  ].sort();
  const declared = (v, id) => declaredBy[v][id] || [];
  // The search finds a room by its URN and stack too.
  const matches = (record, decl) => !query || JSON.stringify([record, decl]).toLowerCase().includes(query);
  const cards = [];
  const tencent = [...rooms.tencent].sort(
    (a, b) => a.ScheduleStartTime - b.ScheduleStartTime || a.RoomId.localeCompare(b.RoomId),
  );
  const zego = [...rooms.zego].sort((a, b) => a.roomId.localeCompare(b.roomId));
  for (const r of vendor === "tencent" ? [] : zego) {
    const decl = declared("zego", r.roomId);
    if (matches(r, decl)) cards.push(zegoCard(r, decl, stacks));
  }
  for (const r of vendor === "zego" ? [] : tencent) {
    const decl = declared("tencent", r.RoomId);
    if (matches(r, decl)) cards.push(tencentCard(r, now, decl, stacks));
  }
  const box = $("rooms");
  box.replaceChildren(
    ...(cards.length
      ? cards
      : [
          el("div", {
            class: "empty",
            text: query || vendor ? "No room matches." : "No rooms yet: deploy a stack against this emulator.",
          }),
        ]),
  );
  $("room-summary").textContent =
    `${cards.length} of ${rooms.tencent.length} Tencent + ${rooms.zego.length} ZEGO rooms`;
}
