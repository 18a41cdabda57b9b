// Rooms view: a card per room of both vendors with every field, ZEGO attributes with their seq; search and filter.
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

/** A table with a header row and a row per item (`row(item)`), or the `empty` note when there is none. */
function tableOr(items, headers, row, empty) {
  if (!items.length) return el("div", { class: "muted", text: empty });
  return el("table", {}, [el("thead", {}, [el("tr", {}, headers)]), el("tbody", {}, items.map(row))]);
}

function tencentCard(room, nowMs) {
  const status = nowMs < room.ScheduleStartTime * 1000 ? "NotStarted" : "Running";
  const card = el("article", { class: "card tencent", "data-room": `tencent:${room.RoomId}` }, [
    el("h3", {}, [
      el("span", { class: "badge", text: "Tencent" }),
      el("span", { class: "name", text: room.RoomName }),
      el("code", { text: room.RoomId }),
      el("span", { class: "badge status", text: status }),
    ]),
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

function zegoCard(room) {
  const card = el("article", { class: "card zego", "data-room": `zego:${room.roomId}` }, [
    el("h3", {}, [
      el("span", { class: "badge zego", text: "ZEGO" }),
      el("span", { class: "name", text: room.roomName || "(no name)" }),
      el("code", { text: room.roomId }),
    ]),
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
  const { rooms, now } = state.data;
  const query = $("room-search").value.trim().toLowerCase();
  const vendor = $("room-vendor").value;
  const key = JSON.stringify([rooms, query, vendor, Math.floor(now / 60000)]);
  $("count-rooms").textContent = String(rooms.tencent.length + rooms.zego.length);
  if (key === state.roomsKey) return;
  state.roomsKey = key;
  const matches = (record) => !query || JSON.stringify(record).toLowerCase().includes(query);
  const cards = [];
  const tencent = [...rooms.tencent].sort(
    (a, b) => a.ScheduleStartTime - b.ScheduleStartTime || a.RoomId.localeCompare(b.RoomId),
  );
  const zego = [...rooms.zego].sort((a, b) => a.roomId.localeCompare(b.roomId));
  if (vendor !== "tencent") for (const r of zego) if (matches(r)) cards.push(zegoCard(r));
  if (vendor !== "zego") for (const r of tencent) if (matches(r)) cards.push(tencentCard(r, now));
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
