import { describe, expect, it } from 'vitest';
import { parseEditText } from '../../../core/group-buy/edit-group-buy.js';
import { alice, anna, bob, carol, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

describe('/editbuy grammar', () => {
  it('reads an optional buy id, the field and the value', () => {
    expect(parseEditText('#3 price 8')).toEqual({ buy: 3, field: 'price', value: '8' });
    expect(parseEditText('price 8')).toEqual({ field: 'price', value: '8' });
    expect(parseEditText('3 自提 东门 北侧')).toEqual({ buy: 3, field: '自提', value: '东门 北侧' });
    expect(parseEditText('#2 description Hand-made,  6 per box')).toEqual({ buy: 2, field: 'description', value: 'Hand-made, 6 per box' });
    expect(parseEditText('2 photo')).toEqual({ buy: 2, field: 'photo' });
    expect(parseEditText('图片')).toEqual({ field: '图片' });
  });
});

describe('/editbuy', () => {
  it('lowers the price, tells everyone signed up privately in their own language, re-renders the card and audits', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(wang, '/join 1');
    await h.command(bob, '/join 1'); // waitlisted
    await h.command(anna, '/editbuy price 8');

    expect(h.lastMessageIn()).toBe('✏️ #1 changed (price: ¥10.00 → ¥8.00). 3 members were told privately.');
    expect(h.dmsTo(alice)).toEqual(['✏️ #1 Tea was changed by an admin: price: ¥10.00 → ¥8.00. Your sign-up stays as it is; /leave 1 if it no longer suits you.']);
    expect(h.dmsTo(wang)).toEqual(['✏️ 管理员修改了 #1 Tea：单价：¥10.00 → ¥8.00。你的报名保持不变；如不再合适，可发送 /leave 1 退出。']);
    expect(h.dmsTo(bob)).toHaveLength(1);
    expect(await h.cardText()).toContain('💰 Price: ¥8.00 per unit');
    expect((await h.buy(1))?.unitPriceCents).toBe(800);
    const audit = await h.db.prisma.adminAction.findMany({ where: { action: 'buy.edit' } });
    expect(audit.map((a) => a.detail)).toEqual([{ buyId: 1, field: 'price', from: 1000, to: 800 }]);
  });

  it('refuses a price raise naming the rule, in the admin language, and changes nothing', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 3 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(anna, '/editbuy #1 price 12');
    expect(h.lastMessageIn()).toBe('The price of #1 can only go down: members joined at the current price. Send a lower price. Nothing was changed.');
    await h.command(laoLi, '/editbuy 价格 12');
    expect(h.lastMessageIn()).toBe('#1 的单价只能降低：成员是按当前价格参团的。请发送更低的价格。没有任何改动。');
    await h.command(anna, '/editbuy price cheap');
    expect(h.lastMessageIn()).toBe('"cheap" is not a price. Write it like 39.9 (greater than 0, at most 2 decimals).');
    expect((await h.buy(1))?.unitPriceCents).toBe(1000);
    expect(h.dmsTo(alice)).toEqual([]);
  });

  it('keeps the price above the tier prices', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h | tiers 5:9,8:8.5');
    await h.command(anna, '/editbuy price 9');
    expect(h.lastMessageIn()).toBe('The price must stay above the tier prices (the highest is ¥9.00), so tiers remain a discount. Nothing was changed.');
    await h.command(anna, '/editbuy price 9.5');
    expect((await h.buy(1))?.unitPriceCents).toBe(950);
  });

  it('raising max moves waitlisted members in; lowering it below the units taken is refused', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 2 | ends 2h');
    await h.command(alice, '/join 2');
    await h.command(carol, '/join 2');
    expect(await h.participants(1, 'waitlisted')).toEqual(['Carol ×2']);
    await h.command(anna, '/editbuy max 1');
    expect(h.lastMessageIn()).toBe('2 units of #1 are already taken: max can be 2 or more. Nothing was changed.');
    await h.command(anna, '/editbuy max 5');
    expect(await h.participants(1)).toEqual(['Alice ×2', 'Carol ×2']);
    expect(h.dmsTo(carol)).toContain('Good news: a place opened in #1 Tea. You are in with ×2.');
    expect(await h.cardText()).toContain('📦 ▓▓▓▓▓▓▓▓░░ 4/5 (min 1)');
  });

  it('changes min, the limit and the pickup, and clears the optional ones with off', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h | limit 3');
    await h.command(anna, '/editbuy min 12');
    expect(h.lastMessageIn()).toBe('max (10) must be at least min (12).');
    expect((await h.buy(1))?.minUnits).toBe(2);
    await h.command(anna, '/editbuy min 4');
    await h.command(anna, '/editbuy limit off');
    await h.command(anna, '/editbuy pickup West gate, 6 pm');
    expect(h.lastMessageIn()).toBe('✏️ #1 changed (pickup: none → West gate, 6 pm). 0 members were told privately.');
    expect(await h.buy(1)).toMatchObject({ minUnits: 4, perMemberLimit: null, pickup: 'West gate, 6 pm' });
    await h.command(anna, '/editbuy pickup West gate, 6 pm');
    expect(h.lastMessageIn()).toBe('#1 already has that value. Nothing was changed.');
  });

  it('explains what it takes, naming every field', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h');
    await h.command(anna, '/editbuy colour red');
    expect(h.lastMessageIn()).toMatch(/^Usage: \/editbuy \[buy-id\] <what> <value>, where <what> is price \(only lower\), min, max, limit, pickup or description .*; or \/editbuy photo with a photo attached \(\/editbuy photo off removes it\)\. Nothing was changed\.$/);
    await h.command(laoLi, '/editbuy');
    expect(h.lastMessageIn()).toMatch(/^用法：\/editbuy \[团号\] <项目> <新值>.*description（描述；.*或发送 \/editbuy photo 并附上图片（\/editbuy photo off 删除图片）。没有任何改动。$/);
  });
  it('is for admins, and only while the buy is open', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h');
    await h.command(alice, '/editbuy price 5');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    await h.command(anna, '/closebuy');
    await h.command(anna, '/editbuy #1 price 5');
    expect(h.lastMessageIn()).toBe('Buy #1 is failed: it no longer takes changes.');
    expect((await h.buy(1))?.unitPriceCents).toBe(1000);
  });
});

describe('/editbuy description', () => {
  it('changes the description on the card, tells everyone signed up in their language, audits; off removes it', async () => {
    await h.openBuy('Mooncakes | 10 | min 2 | max 10 | ends 2h | description Cantonese style');
    await h.command(alice, '/join 2');
    await h.command(wang, '/join 1');
    await h.command(anna, '/editbuy description Hand-made,   6 per box\nlotus paste');
    expect(h.lastMessageIn()).toBe('✏️ #1 changed (description: Cantonese style → Hand-made, 6 per box lotus paste). 2 members were told privately.');
    expect(h.dmsTo(alice)).toEqual(['✏️ #1 Mooncakes was changed by an admin: description: Cantonese style → Hand-made, 6 per box lotus paste. Your sign-up stays as it is; /leave 1 if it no longer suits you.']);
    expect(h.dmsTo(wang)).toEqual(['✏️ 管理员修改了 #1 Mooncakes：描述：Cantonese style → Hand-made, 6 per box lotus paste。你的报名保持不变；如不再合适，可发送 /leave 1 退出。']);
    const card = await h.cardText();
    expect(card).toMatch(/^🛒 Group buy #1: Mooncakes\nHand-made, 6 per box lotus paste\n/);
    expect(card).not.toContain('Cantonese');
    expect((await h.buy(1))?.description).toBe('Hand-made, 6 per box lotus paste');

    await h.command(laoLi, '/editbuy #1 描述 off');
    expect(h.lastMessageIn()).toBe('✏️ #1 已修改（描述：Hand-made, 6 per box lotus paste → 无），已私信通知 2 位成员。');
    expect((await h.buy(1))?.description).toBeNull();
    expect(await h.cardText()).toMatch(/^🛒 Group buy #1: Mooncakes\n💰/);
    const audit = await h.db.prisma.adminAction.findMany({ where: { action: 'buy.edit' }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.detail)).toEqual([
      { buyId: 1, field: 'description', from: 'Cantonese style', to: 'Hand-made, 6 per box lotus paste' },
      { buyId: 1, field: 'description', from: 'Hand-made, 6 per box lotus paste', to: null },
    ]);
  });

  it('refuses an empty or over-long description naming the limit, in the admin language, and changes nothing', async () => {
    await h.openBuy('Mooncakes | 10 | min 2 | max 10 | ends 2h | description Cantonese style');
    await h.command(alice, '/join 1');
    await h.command(anna, '/editbuy description');
    expect(h.lastMessageIn()).toBe('Write the new description after "description" (at most 500 characters), e.g. /editbuy description Hand-made, 6 per box; or /editbuy description off to remove it. Nothing was changed.');
    await h.command(laoLi, '/editbuy 描述');
    expect(h.lastMessageIn()).toBe('请在“描述”后写上新的描述（最多 500 个字符），例如 /editbuy 描述 手工制作，每盒 6 个；或发送 /editbuy 描述 off 删除描述。没有任何改动。');
    await h.command(anna, `/editbuy description ${'a'.repeat(501)}`);
    expect(h.lastMessageIn()).toBe('The description can be at most 500 characters; this one has 501. Nothing was changed.');
    await h.command(laoLi, `/editbuy 描述 ${'月'.repeat(600)}`);
    expect(h.lastMessageIn()).toBe('描述最多 500 个字符，这段有 600 个。没有任何改动。');
    await h.command(anna, '/editbuy description Cantonese style');
    expect(h.lastMessageIn()).toBe('#1 already has that value. Nothing was changed.');
    expect((await h.buy(1))?.description).toBe('Cantonese style');
    expect(h.dmsTo(alice)).toEqual([]);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'buy.edit' } })).toBe(0);
    // Exactly the limit is taken.
    await h.command(anna, `/editbuy description ${'b'.repeat(500)}`);
    expect((await h.buy(1))?.description).toBe('b'.repeat(500));
  });
});

describe('/editbuy photo', () => {
  const photo = (fileId: string) => ({ attachments: [{ kind: 'photo' as const, fileId }] });
  /** Photo messages posted in the group: [their card key, file id, caption]. */
  const photoPosts = () =>
    h.port.delivered.flatMap((d) => (d.reply.kind === 'message' && d.reply.photo && 'chatId' in d.reply.to ? [{ card: d.reply.card, fileId: d.reply.photo.fileId, messageId: d.messageId, text: d.reply.text }] : []));
  const photoEdits = () => h.port.delivered.flatMap((d) => (d.reply.kind === 'edit' && d.reply.replacePhoto ? [{ messageId: d.reply.messageId, fileId: d.reply.photo?.fileId, text: d.reply.text }] : []));

  it('replaces the photo above the card in place, tells everyone signed up in their language, and audits', async () => {
    await h.openBuy('Mooncakes | 10 | min 2 | max 10 | ends 2h', anna, photo('old-photo'));
    const [posted] = photoPosts();
    expect(posted).toMatchObject({ card: 'buy-photo:1', fileId: 'old-photo', text: '🛒 #1 Mooncakes' });
    expect(await h.buy(1)).toMatchObject({ photoChatId: 'tg:-100', photoMessageId: posted!.messageId });
    await h.command(alice, '/join 2');
    await h.command(wang, '/join 1');
    await h.flushCards();
    const cardEditsBefore = h.cardEdits(1).length;

    await h.command(anna, '/editbuy photo', photo('new-photo'));
    await h.flushCards();
    expect(h.lastMessageIn()).toBe('✏️ #1 changed (new product photo). 2 members were told privately.');
    expect(h.dmsTo(alice)).toEqual(['✏️ #1 Mooncakes was changed by an admin: new product photo. Your sign-up stays as it is; /leave 1 if it no longer suits you.']);
    expect(h.dmsTo(wang)).toEqual(['✏️ 管理员修改了 #1 Mooncakes：更换了商品图片。你的报名保持不变；如不再合适，可发送 /leave 1 退出。']);
    // The photo message is edited, not posted again; the card's text has nothing new to show.
    expect(photoPosts()).toHaveLength(1);
    expect(photoEdits()).toEqual([{ messageId: posted!.messageId, fileId: 'new-photo', text: '🛒 #1 Mooncakes' }]);
    expect(h.cardEdits(1).length).toBe(cardEditsBefore);
    expect((await h.buy(1))?.photoFileId).toBe('new-photo');
    const audit = await h.db.prisma.adminAction.findMany({ where: { action: 'buy.edit' } });
    expect(audit.map((a) => a.detail)).toEqual([{ buyId: 1, field: 'photo', from: 'old-photo', to: 'new-photo' }]);

    // In Chinese, by the field's Chinese name and the buy's id.
    await h.command(laoLi, '/editbuy #1 图片', photo('third-photo'));
    await h.flushCards();
    expect(h.lastMessageIn()).toBe('✏️ #1 已修改（更换了商品图片），已私信通知 2 位成员。');
    expect(photoEdits().map((e) => e.fileId)).toEqual(['new-photo', 'third-photo']);
  });

  it('posts the photo (remembered for the next change) when the buy had none', async () => {
    await h.openBuy('Tea | 10 | min 2 | max 10 | ends 2h');
    expect(photoPosts()).toEqual([]);
    await h.command(anna, '/editbuy photo', photo('tea-photo'));
    await h.flushCards();
    expect(photoPosts()).toEqual([{ card: 'buy-photo:1', fileId: 'tea-photo', messageId: expect.any(String), text: '🛒 #1 Tea' }]);
    // Said, then the photo posted (under the card: the platform cannot put it above a posted message).
    expect(h.messagesIn().slice(-2)).toEqual(['✏️ #1 changed (new product photo). 0 members were told privately.', '🛒 #1 Tea']);
    expect((await h.buy(1))?.photoMessageId).toBe(photoPosts()[0]!.messageId);
    await h.command(anna, '/editbuy photo', photo('tea-photo-2'));
    await h.flushCards();
    expect(photoPosts()).toHaveLength(1);
    expect(photoEdits().map((e) => e.fileId)).toEqual(['tea-photo-2']);
  });

  it('refuses a photo edit without a photo (or with a video), in the admin language, and changes nothing', async () => {
    await h.openBuy('Mooncakes | 10 | min 2 | max 10 | ends 2h', anna, photo('old-photo'));
    await h.command(alice, '/join 1');
    const refusal = 'Attach the new photo to /editbuy photo (or send the command as a reply to your photo): it replaces the photo above the card. To remove the photo: /editbuy photo off. Nothing was changed.';
    await h.command(anna, '/editbuy photo');
    expect(h.lastMessageIn()).toBe(refusal);
    await h.command(anna, '/editbuy photo', { attachments: [{ kind: 'video', fileId: 'clip', durationSeconds: 5 }] });
    expect(h.lastMessageIn()).toBe(refusal);
    await h.command(laoLi, '/editbuy 图片');
    expect(h.lastMessageIn()).toBe('请在发送 /editbuy 图片 时附上新图片（或用这条命令回复你发的图片）：它会替换拼团卡片上方的图片。要删除图片：/editbuy 图片 off。没有任何改动。');
    await h.command(anna, '/editbuy photo', photo('old-photo'));
    expect(h.lastMessageIn()).toBe('#1 already has that value. Nothing was changed.');
    await h.flushCards();
    expect((await h.buy(1))?.photoFileId).toBe('old-photo');
    expect(photoEdits()).toEqual([]);
    expect(h.dmsTo(alice)).toEqual([]);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'buy.edit' } })).toBe(0);
  });

  it('removes the photo with "off": the photo message goes, members are told, the change is audited; a later photo is posted anew', async () => {
    const removals = () => h.port.delivered.flatMap((d) => (d.reply.kind === 'edit' && d.reply.removePhoto ? [{ chatId: d.reply.chatId, messageId: d.reply.messageId, text: d.reply.text }] : []));
    await h.openBuy('Mooncakes | 10 | min 2 | max 10 | ends 2h', anna, photo('old-photo'));
    const [posted] = photoPosts();
    await h.command(alice, '/join 2');
    await h.command(wang, '/join 1');

    await h.command(anna, '/editbuy photo off');
    await h.flushCards();
    expect(h.lastMessageIn()).toBe('✏️ #1 changed (product photo removed). 2 members were told privately.');
    expect(h.dmsTo(alice)).toEqual(['✏️ #1 Mooncakes was changed by an admin: product photo removed. Your sign-up stays as it is; /leave 1 if it no longer suits you.']);
    expect(h.dmsTo(wang)).toEqual(['✏️ 管理员修改了 #1 Mooncakes：删除了商品图片。你的报名保持不变；如不再合适，可发送 /leave 1 退出。']);
    // The photo message above the card is the one withdrawn (its text says so where a platform must keep it).
    expect(removals()).toEqual([{ chatId: 'tg:-100', messageId: posted!.messageId, text: '🛒 #1 Mooncakes: the product photo was removed.' }]);
    expect(await h.buy(1)).toMatchObject({ photoFileId: null, photoChatId: null, photoMessageId: null });
    const audit = await h.db.prisma.adminAction.findMany({ where: { action: 'buy.edit' } });
    expect(audit.map((a) => a.detail)).toEqual([{ buyId: 1, field: 'photo', from: 'old-photo', to: null }]);

    // Nothing left to remove: said in the admin's language, nothing changes.
    await h.command(laoLi, '/editbuy 图片 删除');
    expect(h.lastMessageIn()).toBe('#1 没有图片可删除。要添加图片：发送 /editbuy 图片 并附上图片。没有任何改动。');
    expect(removals()).toHaveLength(1);
    expect(await h.db.prisma.adminAction.count({ where: { action: 'buy.edit' } })).toBe(1);

    // A new photo is posted (not an edit of the message that went) and remembered.
    await h.command(anna, '/editbuy photo', photo('new-photo'));
    await h.flushCards();
    expect(photoPosts().map((p) => p.fileId)).toEqual(['old-photo', 'new-photo']);
    expect(photoEdits()).toEqual([]);
    expect((await h.buy(1))?.photoMessageId).toBe(photoPosts()[1]!.messageId);
  });

  it('is for admins, and only while the buy is open', async () => {
    await h.openBuy('Mooncakes | 10 | min 2 | max 10 | ends 2h | description Cantonese style', anna, photo('old-photo'));
    await h.command(alice, '/editbuy photo', photo('mine'));
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    await h.command(alice, '/editbuy description Mine');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    await h.command(anna, '/cancelbuy 1');
    await h.command(anna, '/editbuy #1 photo', photo('late'));
    expect(h.lastMessageIn()).toBe('Buy #1 is cancelled: it no longer takes changes.');
    await h.command(anna, '/editbuy #1 description Late');
    expect(h.lastMessageIn()).toBe('Buy #1 is cancelled: it no longer takes changes.');
    expect(await h.buy(1)).toMatchObject({ photoFileId: 'old-photo', description: 'Cantonese style' });
    await h.flushCards();
    expect(photoEdits()).toEqual([]);
  });
});
