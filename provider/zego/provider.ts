/**
 * The ZegoRoom lifecycle. The serialized shim in resource.ts forwards every hook to `provider`, the
 * single instance in the host process, so settings, the registered-operator memory, pools and limiters
 * are shared. check and diff are pure (no network, no credentials); credentials are resolved on the first
 * call that needs them.
 */
import type * as pulumi from "@pulumi/pulumi";
import { PartialFailureError, RoomApiError, SettingsError } from "../core/errors";
import { PROVIDER_KEY, withoutProvider } from "../core/check";
import { jsonSafe } from "../core/json";
import { bindHooks, createOrAdopt, deleteIdempotent, diffByRules, unlessGone } from "../core/lifecycle";
import { RoomProvider, type RoomProviderOptions } from "../core/room-provider";
import { inputsOfOther } from "../catalog";
import {
  attributeChanges,
  attributesFromApi,
  heldAfterCreate,
  inputsFromApi,
  toCreateBody,
  toOutputs,
  type HeldRoom,
  type ZegoRoomOutputs,
} from "./api";
import { ZegoClient } from "./client";
import { PARTIAL_FAILURE, ROOM_EXISTS, ROOM_GONE } from "./codes";
import { CHANGE_RULES, ZEGO_ROOM_RULES, type ZegoRoomInputs } from "./schema";
import { resolveZegoSettings, type ZegoSettings } from "./settings";
import { ZEGO_KEYS } from "./setting-keys";

type Props = Record<string, unknown>;

/** What the provider builds from the stack config. */
interface ZegoApi {
  readonly settings: ZegoSettings;
  readonly client: ZegoClient;
}

/** Options for tests; production uses the defaults. */
export type ZegoRoomProviderOptions = RoomProviderOptions;

export class ZegoRoomProvider
  extends RoomProvider<ZegoApi, ZegoRoomOutputs>
  implements pulumi.dynamic.ResourceProvider<Props, ZegoRoomOutputs>
{
  constructor(options: ZegoRoomProviderOptions = {}) {
    super(ZEGO_ROOM_RULES, inputsOfOther("ZegoRoom"), {
      credential: ZEGO_KEYS.serverSecret,
      env: options.env,
      connect: (config, env) => {
        const settings = resolveZegoSettings(config, env);
        return { settings, client: new ZegoClient(settings, options) };
      },
    });
  }

  async create(news: Props): Promise<pulumi.dynamic.CreateResult<ZegoRoomOutputs>> {
    const inputs = withoutProvider(news) as ZegoRoomInputs;
    const { client } = this.api();
    const operator = this.operator(inputs.fromUserId);
    // A room we just created holds what we sent: its CreateRoom answer is the whole truth (AttributeSeq
    // included), so only an adopted room, or an answer without AttributeSeq, is read back.
    let created: HeldRoom | undefined;
    await this.reportingPartial(news, inputs.roomId, operator, inputs, () =>
      createOrAdopt(
        async () => {
          const seq = await client.createRoom(operator, toCreateBody(inputs));
          if (seq !== undefined) created = heldAfterCreate(inputs, seq);
        },
        (err) => err.code === ROOM_EXISTS,
        () => this.adopt(inputs, operator),
      ),
    );
    const held = created ?? (await this.held(operator, inputs.roomId));
    return { id: inputs.roomId, outs: jsonSafe(toOutputs(inputs.roomId, inputs, held)) };
  }

  async read(id: string, props?: ZegoRoomOutputs): Promise<pulumi.dynamic.ReadResult<ZegoRoomOutputs>> {
    const operator = this.operator(props?.fromUserId);
    const held = await unlessGone(
      () => this.held(operator, id),
      (err) => err.code === ROOM_GONE,
    );
    if (held === undefined) return {};
    // RoomName and DestroyDelayTime cannot be read back: keep what state says so they never show as drift.
    const kept = props ?? {};
    return {
      id,
      props: jsonSafe(toOutputs(id, kept, held)),
      inputs: jsonSafe(inputsFromApi(id, kept, held)) as unknown as ZegoRoomOutputs,
    };
  }

  async update(_id: string, olds: ZegoRoomOutputs, news: Props): Promise<pulumi.dynamic.UpdateResult<ZegoRoomOutputs>> {
    const inputs = withoutProvider(news) as ZegoRoomInputs;
    const { updates } = diffByRules(olds, inputs, CHANGE_RULES, "roomId");
    // A new operator makes later calls (this one included); an undeclared one keeps the recorded one.
    const fromUserId = inputs.fromUserId ?? olds.fromUserId;
    const changes =
      updates.includes("attributes") && inputs.attributes !== undefined
        ? attributeChanges(olds.attributes ?? {}, inputs.attributes)
        : [];
    // Only the operator changed: no API call, the new operator is recorded for later calls.
    if (changes.length === 0) return { outs: jsonSafe({ ...(withoutProvider(olds) as ZegoRoomOutputs), fromUserId }) };
    const operator = this.operator(fromUserId);
    const kept = {
      roomName: inputs.roomName ?? olds.roomName,
      destroyDelayTime: inputs.destroyDelayTime ?? olds.destroyDelayTime,
      fromUserId,
    };
    await this.reportingPartial(news, inputs.roomId, operator, kept, () =>
      this.api().client.modifyRoomAttribute(operator, inputs.roomId, changes),
    );
    const held = await this.held(operator, inputs.roomId);
    return { outs: jsonSafe(toOutputs(inputs.roomId, kept, held)) };
  }

  async delete(id: string, props?: ZegoRoomOutputs): Promise<void> {
    const { client, settings } = this.api();
    const operator = props?.fromUserId ?? settings.fromUserId;
    await deleteIdempotent(
      () => client.destroyRoom(id, operator),
      (err) => err.code === ROOM_GONE,
    );
  }

  /**
   * The room ID exists (660300014, possibly our own CreateRoom whose answer was lost). ZEGO rooms have no
   * owner to check and RoomName/DestroyDelayTime cannot be read, so adopt it and bring its attributes to
   * the declared ones with one ModifyRoomAttribute (when attributes are declared).
   */
  private async adopt(inputs: ZegoRoomInputs, operator: string): Promise<void> {
    if (inputs.attributes === undefined) return;
    const { client } = this.api();
    const held = attributesFromApi(await client.queryRoomAttribute(operator, inputs.roomId));
    const changes = attributeChanges(held, inputs.attributes);
    if (changes.length > 0) await client.modifyRoomAttribute(operator, inputs.roomId, changes);
  }

  /**
   * Runs `change`; when ZEGO applied it only in part (an ErrKeyList), reads the room back and throws a
   * PartialFailureError with what it holds now, so the engine records that instead of stale outputs. If
   * the read fails too, the vendor error stands (state then keeps the old outputs; nothing is lost, the
   * next up sets the keys again).
   */
  private async reportingPartial(
    news: Props,
    roomId: string,
    operator: string,
    kept: Partial<ZegoRoomInputs>,
    change: () => Promise<unknown>,
  ): Promise<void> {
    try {
      await change();
    } catch (err) {
      if (!(err instanceof RoomApiError) || err.code !== PARTIAL_FAILURE) throw err;
      let held: HeldRoom;
      try {
        held = await this.held(operator, roomId);
      } catch {
        throw err;
      }
      const provider = news[PROVIDER_KEY] === undefined ? {} : { [PROVIDER_KEY]: news[PROVIDER_KEY] };
      throw new PartialFailureError(roomId, { ...jsonSafe(toOutputs(roomId, kept, held)), ...provider }, err);
    }
  }

  /** The room as the API holds it: QueryRoomUserList (existence, user count), then QueryRoomAttribute. */
  private async held(operator: string, roomId: string): Promise<HeldRoom> {
    const { client } = this.api();
    const userCount = await client.roomUserCount(roomId);
    const attributes = await client.queryRoomAttribute(operator, roomId);
    return { attributes, userCount };
  }

  /** The operator (FromUserId): the declared or recorded one, else `zego:fromUserId`. */
  private operator(declared: string | undefined): string {
    const { settings } = this.api();
    const operator = declared ?? settings.fromUserId;
    if (operator === undefined) {
      throw new SettingsError("zego", [
        "no operator for ZEGO calls: set the ZegoRoom input `fromUserId`, or run `pulumi config set zego:fromUserId <user>` or set the ZEGO_FROM_USER_ID environment variable",
      ]);
    }
    return operator;
  }
}

/** The process-wide instance every serialized ZegoRoom shim calls. */
export const provider = new ZegoRoomProvider();

// The hooks as plain functions: the shim calls `require("pulumi-rooms/zego").check(...)`, which keeps
// the serialized text short.
export const { configure, check, diff, create, read, update, delete: _delete } = bindHooks(provider);
export { _delete as delete };
