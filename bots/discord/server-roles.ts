/**
 * Who is an admin or a moderator of a Discord server: the owner, Manage Server or Administrator, and the roles a
 * deployment names (`DISCORD_ADMIN_ROLE_IDS`, `DISCORD_MODERATOR_ROLE_IDS`). The decisions are pure functions; the
 * `ServerRoles` class finds the members' permissions and roles through discord.js and caches them.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Client, Guild } from 'discord.js';
import type { AdminChangeFeed } from '../../core/ports.js';
import type { DiscordSource } from './decode.js';
import { discordId } from './ids.js';

/** Who counts as what, beyond Discord's own permissions. */
export interface DiscordRoles {
  /** Members with any of these roles are admins, as are members with Manage Server (or Administrator). */
  adminRoleIds?: readonly string[];
  /** Members with any of these roles are moderators. */
  moderatorRoleIds?: readonly string[];
}

export interface ServerRolesOptions extends DiscordRoles {
  /** How long a fetched member's roles are trusted (default 5 minutes). */
  adminCacheMs?: number;
  now?: () => number;
  /**
   * Several processes (ADR 022): a member whose standing this process sees change (an interaction carrying other
   * permissions or roles) is published, and what the others publish is dropped from this cache.
   */
  adminChanges?: AdminChangeFeed;
}

/** What a member's standing depends on: owning the server, their permissions in the channel, their role ids. */
export interface MemberRoles {
  owner: boolean;
  permissions: bigint;
  roles: readonly string[];
}

const ADMIN_PERMISSIONS = PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator;

/** Admins: the owner, members with Manage Server or Administrator, and members with a configured admin role. */
export function isAdminMember(member: MemberRoles, roles: DiscordRoles): boolean {
  return member.owner || (member.permissions & ADMIN_PERMISSIONS) !== 0n || member.roles.some((r) => roles.adminRoleIds?.includes(r) ?? false);
}

/** Moderators: members with a configured moderator role (admins are not moderators unless they have it). */
export function isModeratorMember(member: MemberRoles, roles: DiscordRoles): boolean {
  return member.roles.some((r) => roles.moderatorRoleIds?.includes(r) ?? false);
}

/** The admins among a server's known human members, the owner first, once each, as the core's member ids. */
export function adminMemberIds(ownerId: string, members: Iterable<{ id: string; permissions: bigint; roles: readonly string[] }>, roles: DiscordRoles): string[] {
  const ids = [ownerId];
  for (const member of members) if (isAdminMember({ ...member, owner: false }, roles)) ids.push(member.id);
  return [...new Set(ids.filter(Boolean))].map((id) => `dc:${id}`);
}

/**
 * Members' standing in the servers the bot is in. The interacting member's permissions come with their interaction
 * (`remember`); others are fetched and cached for `adminCacheMs`.
 */
export class ServerRoles {
  private readonly cache = new Map<string, { expires: number; roles: Promise<MemberRoles> }>();
  private readonly now: () => number;
  private readonly cacheMs: number;
  /** What this process last saw of each member's standing (`guild|user` to `admin,moderator`), to publish changes. */
  private readonly standing = new Map<string, string>();

  constructor(
    private readonly client: Client,
    private readonly options: ServerRolesOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.cacheMs = options.adminCacheMs ?? 5 * 60_000;
    options.adminChanges?.subscribe((change) => {
      if ('everything' in change) this.cache.clear();
      else if (change.platform === 'dc') this.drop(change.scope, change.memberId);
    });
  }

  /** Admins of a channel's server; DMs have none. */
  async isAdmin(chatId: string, memberId: string): Promise<boolean> {
    const member = await this.memberRoles(chatId, memberId);
    return member ? isAdminMember(member, this.options) : false;
  }

  /** Moderators of a channel's server; DMs have none. */
  async isModerator(chatId: string, memberId: string): Promise<boolean> {
    const member = await this.memberRoles(chatId, memberId);
    return member ? isModeratorMember(member, this.options) : false;
  }

  /**
   * The server's human admins for a channel's server: the owner, then the members discord.js has cached with Manage
   * Server, Administrator or a configured admin role. Without the privileged Server Members intent the full member
   * list cannot be fetched: the cache holds the members Discord sent with the server (all of them on small servers,
   * only some on large ones) and those seen since. DMs have none.
   */
  async listAdmins(chatId: string): Promise<string[]> {
    const channel = await this.client.channels.fetch(discordId(chatId));
    if (!channel || channel.isDMBased() || !('guild' in channel)) return [];
    return adminMemberIds(channel.guild.ownerId, cachedHumans(channel.guild), this.options);
  }

  /** Remembers the permissions and roles an interaction came with (Discord computed them for its channel). */
  remember(source: DiscordSource): void {
    if (!source.guildId || !source.member) return;
    const roles: MemberRoles = { owner: false, permissions: BigInt(source.member.permissions), roles: source.member.roles };
    this.cache.set(`${source.guildId}|${source.channelId}|${source.userId}`, { expires: this.now() + this.cacheMs, roles: Promise.resolve(roles) });
    this.noteStanding(source.guildId, source.userId, roles);
  }

  /** Drops a cached member (their roles changed), here and in the other processes. */
  forget(guildId: string, userId: string): void {
    this.drop(guildId, userId);
    this.standing.delete(`${guildId}|${userId}`);
    this.publish(guildId, userId);
  }

  private drop(guildId: string, userId: string): void {
    for (const key of this.cache.keys()) if (key.endsWith(`|${userId}`) && key.startsWith(`${guildId}|`)) this.cache.delete(key);
  }

  /**
   * Other processes may have cached this member's standing from before: when it is new to this process or differs
   * from what it saw last, they are told to drop theirs. At most one message per member and change.
   */
  private noteStanding(guildId: string, userId: string, roles: MemberRoles): void {
    if (!this.options.adminChanges) return;
    const key = `${guildId}|${userId}`;
    const now = `${isAdminMember(roles, this.options)},${isModeratorMember(roles, this.options)}`;
    if (this.standing.get(key) === now) return;
    if (this.standing.size >= STANDING_LIMIT) this.standing.clear();
    this.standing.set(key, now);
    this.publish(guildId, userId);
  }

  private publish(guildId: string, userId: string): void {
    // Best effort: without it the others trust their cached answer until it expires (adminCacheMs), as before.
    this.options.adminChanges?.publish({ platform: 'dc', scope: guildId, memberId: userId }).catch(() => {});
  }

  private async memberRoles(chatId: string, memberId: string): Promise<MemberRoles | undefined> {
    const channelId = discordId(chatId);
    const userId = discordId(memberId);
    const channel = await this.client.channels.fetch(channelId);
    if (!channel || channel.isDMBased() || !('guild' in channel)) return undefined;
    const guild = channel.guild;
    const key = `${guild.id}|${channelId}|${userId}`;
    const cached = this.cache.get(key);
    if (cached && cached.expires > this.now()) return cached.roles;
    const roles = guild.members.fetch({ user: userId, force: true }).then(
      (member) => ({ owner: guild.ownerId === userId, permissions: member.permissionsIn(channel).bitfield, roles: [...member.roles.cache.keys()] }),
      (error: unknown) => {
        this.cache.delete(key);
        throw error;
      },
    );
    this.cache.set(key, { expires: this.now() + this.cacheMs, roles });
    return roles;
  }
}

/** Members whose last seen standing is kept to publish changes; past this, the record starts over (one message each). */
const STANDING_LIMIT = 100_000;

/** The members discord.js has cached for a server, bots left out. */
function* cachedHumans(guild: Guild): Iterable<{ id: string; permissions: bigint; roles: string[] }> {
  for (const member of guild.members.cache.values()) {
    if (member.user.bot) continue;
    yield { id: member.id, permissions: member.permissions.bitfield, roles: [...member.roles.cache.keys()] };
  }
}
