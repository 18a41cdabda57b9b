/**
 * The app's registered ZIM users (zegocloud.com/docs/zim-server/user/batch-register-users and the QueryUserInfos page beside it): UserRegister adds them, QueryUserInfos reads
 * them, and room actions require their FromUserId to be one of them.
 */

/** One registered user, JSON-safe. */
export interface ZegoUserRecord {
  /** The user's ID (RegisterUsers' UserId). */
  readonly userId: string;
  /** The user's name as registered. */
  readonly userName: string;
  /** The user's avatar URL as registered; "" when none was given. */
  readonly userAvatar: string;
  /** QueryUserInfos returns `Extra`; nothing in the server API sets it, so it stays "" unless imported. */
  readonly extra: string;
  /** Registration time, Unix ms. */
  readonly registeredAt: number;
}

/** Insertion-ordered registry of users. */
export class ZegoUserRegistry {
  private readonly byId = new Map<string, ZegoUserRecord>();

  has(userId: string): boolean {
    return this.byId.has(userId);
  }

  get(userId: string): ZegoUserRecord | undefined {
    return this.byId.get(userId);
  }

  /** Registers a user; false when the ID is already registered (nothing changes then). */
  add(userId: string, userName: string, userAvatar: string, registeredAt: number): boolean {
    if (this.byId.has(userId)) return false;
    this.byId.set(userId, { userId, userName, userAvatar, extra: "", registeredAt });
    return true;
  }

  list(): ZegoUserRecord[] {
    return [...this.byId.values()].map((u) => ({ ...u }));
  }

  replaceAll(users: readonly ZegoUserRecord[]): void {
    this.byId.clear();
    for (const u of users) this.byId.set(u.userId, { ...u });
  }

  clear(): void {
    this.byId.clear();
  }
}
