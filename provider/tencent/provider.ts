/**
 * The TencentRoom lifecycle. The serialized shim in resource.ts forwards every hook to `provider`, the
 * single instance in the host process, so settings, the UserSig cache, pools and limiters are shared.
 * check and diff are pure (no network, no credentials); credentials are resolved on the first call that
 * needs them.
 */
import type * as pulumi from "@pulumi/pulumi";
import { RoomApiError } from "../core/errors";
import { withoutProvider } from "../core/check";
import { jsonSafe } from "../core/json";
import { bindHooks, createOrAdopt, deleteIdempotent, diffByRules, unlessGone } from "../core/lifecycle";
import { RoomProvider, type RoomProviderOptions } from "../core/room-provider";
import { inputsOfOther } from "../catalog";
import { inputsFromApi, toCreateBody, toOutputs, toUpdateBody, type ApiRoomInfo, type TencentRoomOutputs } from "./api";
import { TencentClient } from "./client";
import { EXISTS_CODES, ROOM_GONE } from "./codes";
import { CHANGE_RULES, IMMUTABLE_FIELDS, TENCENT_ROOM_RULES, type TencentRoomInputs } from "./schema";
import { resolveTencentSettings, type TencentSettings } from "./settings";
import { TENCENT_KEYS } from "./setting-keys";

type Props = Record<string, unknown>;

/** What the provider builds from the stack config. */
interface TencentApi {
  readonly settings: TencentSettings;
  readonly client: TencentClient;
}

/** Options for tests; production uses the defaults. */
export type TencentRoomProviderOptions = RoomProviderOptions;

export class TencentRoomProvider
  extends RoomProvider<TencentApi, TencentRoomOutputs>
  implements pulumi.dynamic.ResourceProvider<Props, TencentRoomOutputs>
{
  constructor(options: TencentRoomProviderOptions = {}) {
    super(TENCENT_ROOM_RULES, inputsOfOther("TencentRoom"), {
      credential: TENCENT_KEYS.secretKey,
      env: options.env,
      connect: (config, env) => {
        const settings = resolveTencentSettings(config, env);
        return { settings, client: new TencentClient(settings, options) };
      },
    });
  }

  async create(news: Props): Promise<pulumi.dynamic.CreateResult<TencentRoomOutputs>> {
    const inputs = withoutProvider(news) as TencentRoomInputs;
    const { client } = this.api();
    const info = await createOrAdopt(
      async () => {
        await client.createRoom(toCreateBody(inputs));
        return client.getRoomInfo(inputs.roomId);
      },
      (err) => EXISTS_CODES.has(Number(err.code)),
      (err) => this.adopt(inputs, err),
    );
    return { id: inputs.roomId, outs: jsonSafe(toOutputs(info, inputs.scheduleInvitees)) };
  }

  async read(id: string, props?: TencentRoomOutputs): Promise<pulumi.dynamic.ReadResult<TencentRoomOutputs>> {
    const { client } = this.api();
    const info = await unlessGone(
      () => client.getRoomInfo(id),
      (err) => err.code === ROOM_GONE,
    );
    if (info === undefined) return {};
    // Invitees cannot be read back: keep what state says so they never show as drift.
    const invitees = props?.scheduleInvitees;
    return {
      id,
      props: jsonSafe(toOutputs(info, invitees)),
      inputs: jsonSafe(inputsFromApi(info, invitees)) as unknown as TencentRoomOutputs,
    };
  }

  async update(
    _id: string,
    olds: TencentRoomOutputs,
    news: Props,
  ): Promise<pulumi.dynamic.UpdateResult<TencentRoomOutputs>> {
    const inputs = withoutProvider(news) as TencentRoomInputs;
    const { updates } = diffByRules(olds, inputs, CHANGE_RULES, "roomId");
    const { client } = this.api();
    if (updates.length > 0) await client.updateRoomInfo(toUpdateBody(inputs, updates));
    const info = await client.getRoomInfo(inputs.roomId);
    return { outs: jsonSafe(toOutputs(info, inputs.scheduleInvitees)) };
  }

  async delete(id: string): Promise<void> {
    const { client } = this.api();
    await deleteIdempotent(
      () => client.destroyRoom(id),
      (err) => err.code === ROOM_GONE,
    );
  }

  /**
   * The room ID exists. Adopt it only when it is ours (same owner) and its create-only fields match the
   * declaration; then bring the updatable fields to the declared values.
   */
  private async adopt(inputs: TencentRoomInputs, exists: RoomApiError): Promise<ApiRoomInfo> {
    const { client, settings } = this.api();
    const info = await client.getRoomInfo(inputs.roomId);
    const expectedOwner = inputs.ownerAccount ?? settings.identifier;
    if (info.Owner_Account !== expectedOwner) {
      throw new RoomApiError({
        vendor: "tencent",
        operation: "create_room",
        kind: "vendor",
        code: exists.code,
        vendorMessage: `room ${inputs.roomId} already exists and is owned by ${info.Owner_Account}, not ${expectedOwner}`,
        requestId: exists.requestId,
        retryable: false,
        hint: "the room is not ours to adopt: choose another roomId, or destroy that room first",
      });
    }
    const held = inputsFromApi(info, inputs.scheduleInvitees);
    const mismatched = IMMUTABLE_FIELDS.filter((f) => inputs[f] !== undefined && inputs[f] !== held[f]);
    if (mismatched.length > 0) {
      throw new RoomApiError({
        vendor: "tencent",
        operation: "create_room",
        kind: "vendor",
        code: exists.code,
        vendorMessage: `room ${inputs.roomId} already exists with different ${mismatched.join(", ")}, which cannot be updated`,
        requestId: exists.requestId,
        retryable: false,
        hint: `declare the existing values (${mismatched.map((f) => `${f}: ${JSON.stringify(held[f])}`).join(", ")}), or destroy the room first`,
      });
    }
    const { updates } = diffByRules(held, inputs, CHANGE_RULES, "roomId");
    if (updates.length === 0) return info;
    await client.updateRoomInfo(toUpdateBody(inputs, updates));
    return client.getRoomInfo(inputs.roomId);
  }
}

/** The process-wide instance every serialized TencentRoom shim calls. */
export const provider = new TencentRoomProvider();

// The hooks as plain functions: the shim calls `require("pulumi-rooms/tencent").check(...)`, which keeps
// the serialized text short.
export const { configure, check, diff, create, read, update, delete: _delete } = bindHooks(provider);
export { _delete as delete };
