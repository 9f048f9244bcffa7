/**
 * Who is an admin or a moderator of a server: the decisions without a client, then the member cache with a real
 * discord.js client on the fake server.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { adminMemberIds, isAdminMember, isModeratorMember, ServerRoles } from '../../bots/discord/server-roles.js';
import { FakeDiscordServer, type FakeGuild, type FakeUser } from '../support/fake-discord-server.js';

const none = 0n;
const member = (permissions: bigint, roles: string[] = [], owner = false) => ({ owner, permissions, roles });
const configured = { adminRoleIds: ['helpers'], moderatorRoleIds: ['mods'] };

describe('admins', () => {
  it('counts the owner, Manage Server, Administrator and a configured admin role', () => {
    expect(isAdminMember(member(none, [], true), {})).toBe(true);
    expect(isAdminMember(member(PermissionFlagsBits.ManageGuild), {})).toBe(true);
    expect(isAdminMember(member(PermissionFlagsBits.Administrator), {})).toBe(true);
    expect(isAdminMember(member(none, ['helpers']), configured)).toBe(true);
  });

  it('does not count other permissions, other roles, or a moderator role', () => {
    expect(isAdminMember(member(PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ManageRoles, ['mods', 'vip']), configured)).toBe(false);
    expect(isAdminMember(member(none, ['helpers']), {})).toBe(false);
  });

  it('lists the owner first, then each admin once, as dc: member ids', () => {
    const members = [
      { id: '1', permissions: PermissionFlagsBits.Administrator, roles: [] },
      { id: '2', permissions: none, roles: ['helpers'] },
      { id: '3', permissions: PermissionFlagsBits.SendMessages, roles: ['mods'] },
      { id: '9', permissions: PermissionFlagsBits.Administrator, roles: [] },
    ];
    expect(adminMemberIds('9', members, configured)).toEqual(['dc:9', 'dc:1', 'dc:2']);
    expect(adminMemberIds('9', [], configured)).toEqual(['dc:9']);
  });
});

describe('moderators', () => {
  it('are the members with a configured moderator role, and admins are not moderators without it', () => {
    expect(isModeratorMember(member(none, ['mods']), configured)).toBe(true);
    expect(isModeratorMember(member(PermissionFlagsBits.Administrator, ['helpers'], true), configured)).toBe(false);
    expect(isModeratorMember(member(none, ['mods']), {})).toBe(false);
  });
});

describe('the member cache', () => {
  let server: FakeDiscordServer;
  let client: Client;
  let guild: FakeGuild;
  let carol: FakeUser;
  let helperRole: string;
  let clockMs = 0;

  async function connect(): Promise<ServerRoles> {
    server = await FakeDiscordServer.start();
    guild = server.guild('Tea lovers');
    helperRole = server.role(guild, 'Helpers');
    carol = server.member(guild, { username: 'carol' });
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: server.apiBase } });
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(server.token);
    await ready;
    return new ServerRoles(client, { adminRoleIds: [helperRole], adminCacheMs: 60_000, now: () => clockMs });
  }
  const memberFetches = () => server.calls((c) => c.path === `/guilds/${guild.id}/members/${carol.id}`).length;
  const promoteCarol = () => guild.members.get(carol.id)!.roles.push(helperRole);
  const channel = () => `dc:${guild.channelId}`;

  afterEach(async () => {
    await client?.destroy();
    await server?.close();
  });

  it('trusts a fetched member’s roles for adminCacheMs, then fetches them again', async () => {
    const roles = await connect();
    expect(await roles.isAdmin(channel(), `dc:${carol.id}`)).toBe(false);
    promoteCarol();
    clockMs += 59_999;
    expect(await roles.isAdmin(channel(), `dc:${carol.id}`)).toBe(false);
    expect(memberFetches()).toBe(1);
    clockMs += 1;
    expect(await roles.isAdmin(channel(), `dc:${carol.id}`)).toBe(true);
    expect(memberFetches()).toBe(2);
  });

  it('forgets a member at once when told their roles changed', async () => {
    const roles = await connect();
    expect(await roles.isAdmin(channel(), `dc:${carol.id}`)).toBe(false);
    promoteCarol();
    roles.forget(guild.id, carol.id);
    expect(await roles.isAdmin(channel(), `dc:${carol.id}`)).toBe(true);
    expect(memberFetches()).toBe(2);
  });

  it('decides on the permissions an interaction came with, without fetching', async () => {
    const roles = await connect();
    roles.remember({ guildId: guild.id, channelId: guild.channelId, userId: carol.id, member: { permissions: String(PermissionFlagsBits.ManageGuild), roles: [] } });
    expect(await roles.isAdmin(channel(), `dc:${carol.id}`)).toBe(true);
    expect(memberFetches()).toBe(0);
  });
});
