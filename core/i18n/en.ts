/** English copy, keyed by message id. zh-CN.ts must have the same keys (checked by the type below and a test). */
export const en = {
  'lang.name': () => 'English',
  'generic.unknown_command': (p: { name: string }) => `Unknown command /${p.name}. Send /help to see what I can do.`,
  'generic.internal_error': () => 'Sorry, something went wrong on my side. Nothing was changed; please try again.',
  'generic.group_only': () => 'This command works in a group chat.',
  'generic.admin_only': () => 'Sorry, only group admins can do that.',
  'generic.dm_failed': (p: { name: string }) =>
    `${p.name}, I can't message you privately yet. Open a private chat with me, press Start, then try again.`,
  'generic.sent_privately': (p: { name: string }) => `${p.name}, I've sent it to you privately.`,
  'generic.stale_button': () => 'This button is no longer valid.',

  'help.title': () => 'tuanbot: group buys inside the chat.',
  'help.members': () => 'For everyone:',
  'help.admins': () => 'For admins:',
  'help.newbuy_example': () =>
    'Example: /newbuy Organic strawberries 1.5kg | 39.9 | min 10 | max 50 | ends 2h | limit 2 | tiers 20:35.9,40:32.9 | pickup East gate',
  'start.private': () => 'Hi! I run group buys in your groups. Add me to a group, or send /help to see the commands.',

  'cmd.help': () => 'Show the commands',
  'cmd.newbuy': () => 'Open a group buy (admins)',
  'cmd.join': () => 'Join the newest buy: /join [qty] or /join <buy-id> [qty]',
  'cmd.leave': () => 'Leave a buy: /leave [buy-id]',
  'cmd.buys': () => 'List the open buys in this chat',
  'cmd.mybuys': () => 'Your sign-ups across groups (sent privately)',
  'cmd.closebuy': () => 'Close a buy now (admins)',
  'cmd.cancelbuy': () => 'Cancel a buy (admins)',
  'cmd.extendbuy': () => 'Move a deadline: /extendbuy [buy-id] <when> (admins)',
  'cmd.paid': () => 'Mark paid: /paid [buy-id] @member|all (admins)',
  'cmd.delivered': () => 'Mark delivered: /delivered [buy-id] @member|all (admins)',
  'cmd.export': () => 'Get the order list as CSV: /export [buy-id] (admins)',
  'cmd.lang': () => 'Language: /lang zh|en|auto',
  'cmd.timezone': () => 'Group time zone: /timezone Europe/Berlin (admins)',
  'cmd.mod': () => 'Make a member a moderator: /mod @member (admins)',
  'cmd.unmod': () => 'Remove a moderator: /unmod @member (admins)',
  'cmd.cancel': () => 'Stop the current guided dialogue',

  'lang.usage': () => 'Usage: /lang zh, /lang en, or /lang auto (each member in their own language).',
  'lang.set_group': () => 'Done: this group now speaks English.',
  'lang.set_auto': () => 'Done: I will answer each member in their own language.',
  'lang.set_member': () => 'Done: I will speak English with you.',
  'timezone.usage': (p: { current: string }) =>
    `Usage: /timezone <IANA zone>, e.g. /timezone Europe/Berlin. This group uses ${p.current}.`,
  'timezone.invalid': (p: { value: string }) =>
    `"${p.value}" is not a time zone I know. Use an IANA name such as Asia/Shanghai or Europe/Berlin.`,
  'timezone.set': (p: { zone: string; now: string }) => `Done: this group's time zone is ${p.zone} (now ${p.now}).`,
  'mod.usage': () => 'Usage: /mod @member, or reply to their message with /mod.',
  'mod.not_found': (p: { who: string }) => `I don't know ${p.who} yet: they need to have written in this group.`,
  'mod.added': (p: { name: string }) => `${p.name} is now a moderator.`,
  'mod.removed': (p: { name: string }) => `${p.name} is no longer a moderator.`,

  'newbuy.usage': () =>
    'Usage: /newbuy <title> | <price> | min <n> | max <n> | ends <when> [| limit <n>] [| tiers <n>:<price>,...] [| pickup <text>]',
  'newbuy.missing_field': (p: { field: string }) => `Missing field: ${p.field}.`,
  'newbuy.bad_title': () => 'The title is empty or longer than 100 characters.',
  'newbuy.bad_price': (p: { value: string }) => `"${p.value}" is not a price. Write it like 39.9 (greater than 0, at most 2 decimals).`,
  'newbuy.bad_number': (p: { field: string; value: string }) => `${p.field}: "${p.value}" should be a whole number of at least 1.`,
  'newbuy.max_below_min': (p: { min: number; max: number }) => `max (${p.max}) must be at least min (${p.min}).`,
  'newbuy.limit_above_max': (p: { limit: number; max: number }) => `limit (${p.limit}) cannot be more than max (${p.max}).`,
  'newbuy.bad_tiers': (p: { value: string }) =>
    `Tiers "${p.value}" are not valid. Write units:price pairs, units rising and prices falling below the base price, e.g. 20:35.9,40:32.9.`,
  'newbuy.tier_above_max': (p: { units: number; max: number }) => `A tier at ${p.units} units can never be reached: max is ${p.max}.`,
  'newbuy.unknown_part': (p: { part: string }) =>
    `I don't understand "${p.part}". Known parts: min, max, ends, limit, tiers, pickup.`,
  'newbuy.duplicate_part': (p: { field: string }) => `${p.field} is given twice.`,
  'newbuy.bad_when': (p: { value: string }) =>
    `"${p.value}" is not a deadline I understand. Use a date and time like 2026-12-24 20:00 or a duration like 90m, 2h, 3d.`,
  'newbuy.when_past': (p: { value: string }) => `The deadline ${p.value} is already past.`,
  'newbuy.when_too_far': () => 'The deadline is more than 90 days away.',
  'newbuy.opened': (p: { id: number }) => `Group buy #${p.id} is open. Join with the button or /join.`,

  'dialog.title': () => 'Let\'s open a group buy (send /cancel to stop at any time). What is the product title?',
  'dialog.price': () => 'Unit price? (e.g. 39.9)',
  'dialog.min': () => 'Minimum units for the buy to go ahead? (e.g. 10)',
  'dialog.max': () => 'Maximum units? (e.g. 50)',
  'dialog.ends': () => 'Deadline? A date and time (2026-12-24 20:00) or a duration (90m, 2h, 3d).',
  'dialog.limit': () => 'Limit per member in units? Send "-" for no limit.',
  'dialog.tiers': () => 'Tier prices? e.g. 20:35.9,40:32.9 (units:price). Send "-" for none.',
  'dialog.pickup': () => 'Pickup point or delivery note? Send "-" to skip.',
  'dialog.cancelled': () => 'OK, stopped. Nothing was created.',
  'dialog.nothing': () => 'There is nothing to cancel.',
  'dialog.skip_hint': () => '(send "-" to skip)',

  'buy.not_found': (p: { id: number }) => `There is no buy #${p.id} in this chat.`,
  'buy.none_open': () => 'There is no open buy in this chat right now.',
  'buy.not_open': (p: { id: number; status: string }) => `Buy #${p.id} is ${p.status}: it no longer takes changes.`,
  'buy.status.open': () => 'open',
  'buy.status.formed': () => 'formed',
  'buy.status.failed': () => 'failed',
  'buy.status.cancelled': () => 'cancelled',
  'buy.deadline_passed': (p: { id: number }) => `The deadline of #${p.id} has passed: it is closing now.`,
  'buy.bad_id': (p: { value: string }) => `"${p.value}" is not a buy id. Buy ids look like #12.`,
  'join.usage': () => 'Usage: /join [qty], /join #<buy-id>, or /join <buy-id> <qty>.',
  'join.bad_quantity': (p: { value: string }) => `"${p.value}" is not a quantity: use a whole number of at least 1.`,
  'join.over_limit': (p: { limit: number }) => `The limit is ${p.limit} per member.`,
  'join.joined': (p: { name: string; qty: number; id: number }) => `${p.name} joined #${p.id} ×${p.qty}.`,
  'join.changed': (p: { name: string; qty: number; id: number }) => `${p.name} now has ×${p.qty} in #${p.id}.`,
  'join.unchanged': (p: { qty: number; id: number }) => `You are already in #${p.id} with ×${p.qty}. To change it: /join ${p.id} <qty>.`,
  'join.waitlisted': (p: { name: string; qty: number; id: number; position: number }) =>
    `#${p.id} is full, so ${p.name} is on the waitlist (×${p.qty}, position ${p.position}). You'll be told if a place opens.`,
  'join.still_waitlisted': (p: { qty: number; id: number; position: number }) =>
    `You are on the waitlist of #${p.id} (×${p.qty}, position ${p.position}).`,
  'join.not_enough_room': (p: { id: number; qty: number; available: number }) =>
    `Only ${p.available} more unit(s) are available in #${p.id}; you keep ×${p.qty}.`,
  'leave.left': (p: { name: string; id: number }) => `${p.name} left #${p.id}.`,
  'leave.not_joined': (p: { id: number }) => `You are not signed up to #${p.id}.`,
  'waitlist.promoted_dm': (p: { id: number; title: string; qty: number }) =>
    `Good news: a place opened in #${p.id} ${p.title}. You are in with ×${p.qty}.`,
  'waitlist.promoted': (p: { names: string }) => `From the waitlist: ${p.names} moved in.`,
  'tier.crossed': (p: { id: number; price: string; units: number }) =>
    `🎉 #${p.id} reached ${p.units} units: the price drops to ${p.price} for everyone.`,
  'tier.dropped': (p: { id: number; price: string }) => `#${p.id} fell below a tier: the price is back to ${p.price}.`,

  'card.title': (p: { id: number; title: string }) => `🛒 Group buy #${p.id}: ${p.title}`,
  'card.price': (p: { price: string }) => `💰 Price: ${p.price} per unit`,
  'card.next_tier': (p: { more: number; price: string }) => `⬇️ ${p.more} more unit(s) and it drops to ${p.price}`,
  'card.tiers': (p: { list: string }) => `📊 Tiers: ${p.list}`,
  'card.units': (p: { taken: number; min: number; max: number }) => `📦 ${p.taken} taken · min ${p.min} · max ${p.max}`,
  'card.min_reached': () => '✅ Minimum reached',
  'card.min_missing': (p: { more: number }) => `⏳ ${p.more} more to reach the minimum`,
  'card.deadline': (p: { when: string; zone: string }) => `⏰ Ends ${p.when} (${p.zone})`,
  'card.limit': (p: { limit: number }) => `👤 Limit ${p.limit} per member`,
  'card.pickup': (p: { pickup: string }) => `📍 Pickup: ${p.pickup}`,
  'card.participants': (p: { count: number }) => `Participants (${p.count}):`,
  'card.no_participants': () => 'No one yet: be the first!',
  'card.waitlist': (p: { count: number }) => `Waitlist (${p.count}):`,
  'card.more': (p: { count: number }) => `…and ${p.count} more (admins: /export for the full list)`,
  'card.status.formed': (p: { price: string }) => `✅ Formed at ${p.price} per unit. Sign-ups are closed.`,
  'card.status.failed': () => '❌ Did not reach the minimum. Sign-ups are closed.',
  'card.status.cancelled': () => '🚫 Cancelled by an admin.',
  'card.paid_mark': () => 'paid',
  'card.delivered_mark': () => 'delivered',
  'button.join': () => 'Join +1',
  'button.leave': () => 'Leave',

  'close.formed': (p: { id: number; title: string; units: number; price: string; count: number }) =>
    `✅ Group buy #${p.id} ${p.title} is formed: ${p.units} units from ${p.count} member(s) at ${p.price} per unit.`,
  'close.failed': (p: { id: number; title: string; units: number; min: number }) =>
    `❌ Group buy #${p.id} ${p.title} did not form: ${p.units} of ${p.min} units needed. No one pays.`,
  'close.cancelled': (p: { id: number; title: string }) => `🚫 Group buy #${p.id} ${p.title} was cancelled by an admin. No one pays.`,
  'close.formed_dm': (p: { id: number; title: string; qty: number; price: string; total: string; pickup: string }) =>
    `✅ #${p.id} ${p.title} is formed. You have ×${p.qty} at ${p.price}: ${p.total} in total.${p.pickup}`,
  'close.failed_dm': (p: { id: number; title: string }) => `❌ #${p.id} ${p.title} did not reach its minimum and will not go ahead. You pay nothing.`,
  'close.cancelled_dm': (p: { id: number; title: string }) => `🚫 #${p.id} ${p.title} was cancelled by an admin. You pay nothing.`,
  'close.waitlist_dm': (p: { id: number; title: string }) => `#${p.id} ${p.title} has closed and no place opened for you on the waitlist.`,
  'close.pickup_suffix': (p: { pickup: string }) => ` Pickup: ${p.pickup}.`,
  'extend.usage': () => 'Usage: /extendbuy [buy-id] <when>, e.g. /extendbuy #12 2h or /extendbuy 2026-12-24 20:00.',
  'extend.done': (p: { id: number; when: string }) => `⏰ #${p.id} now ends ${p.when}.`,

  'buys.none': () => 'No open buys in this chat. Admins open one with /newbuy.',
  'buys.header': () => 'Open buys:',
  'buys.line': (p: { id: number; title: string; price: string; taken: number; max: number; when: string }) =>
    `#${p.id} ${p.title} · ${p.price} · ${p.taken}/${p.max} · ends ${p.when}`,
  'mybuys.none': () => 'You have no sign-ups.',
  'mybuys.header': () => 'Your sign-ups:',
  'mybuys.line': (p: { id: number; title: string; qty: number; state: string; group: string }) =>
    `#${p.id} ${p.title} ×${p.qty} · ${p.state} · ${p.group}`,
  'mybuys.state.active': () => 'in',
  'mybuys.state.waitlisted': () => 'waitlisted',
  'mybuys.paid': () => 'paid',
  'mybuys.delivered': () => 'delivered',

  'mark.usage': (p: { command: string }) => `Usage: /${p.command} [buy-id] @member|all (or reply to the member's message).`,
  'mark.not_participant': (p: { who: string; id: number }) => `${p.who} is not a participant of #${p.id}.`,
  'mark.needs_formed': (p: { id: number }) => `#${p.id} has not formed yet: delivery can be marked once it has.`,
  'mark.paid_done': (p: { names: string; id: number }) => `💵 Marked paid in #${p.id}: ${p.names}.`,
  'mark.delivered_done': (p: { names: string; id: number }) => `📦 Marked delivered in #${p.id}: ${p.names}.`,
  'mark.nothing': (p: { id: number }) => `Nothing to change in #${p.id}: already marked.`,
  'mark.delivered_dm': (p: { id: number; title: string }) => `📦 Your order from #${p.id} ${p.title} is marked delivered. Enjoy!`,

  'export.caption': (p: { id: number; title: string; count: number }) => `Order list of #${p.id} ${p.title} (${p.count} rows).`,
};

export type MessageKey = keyof typeof en;
export type MessageParams<K extends MessageKey> = Parameters<(typeof en)[K]>[0];
