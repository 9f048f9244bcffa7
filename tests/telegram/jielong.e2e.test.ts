/**
 * What only Telegram does with a buy's photo and the 接龙 habits, beside the shared scenarios
 * (tests/scenarios/jielong.scenarios.ts): the product photo of `/newbuy` (sent as a photo's caption) goes out with
 * sendPhoto by its file id just before the card, which stays a text message (a caption is capped at 1024 characters,
 * a card is not); a reply to the card is read whatever the privacy mode, other messages only with it off.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { useTelegramWorld } from '../support/platform-world.js';

const t = useTelegramWorld({ anna: { name: 'Anna', username: 'anna', admin: true }, bob: { name: 'Bob', username: 'bob' } }, { lang: 'zh' });

describe('a buy with a photo on Telegram', () => {
  it('sends the photo by its file id just before the text card, and the card is edited as text', async () => {
    await t.play([
      { as: 'anna', command: '/newbuy 月饼 | 规格 小份:10:5 大份:18:2 | 最少 1 | 截止 2h | 描述 广式五仁', photo: 'mooncakes.jpg' },
      { expect: { groupMessage: /^🛒 #1 月饼$/, card: [/^广式五仁$/m] } },
      { as: 'bob', post: '我要 2 大份 不要香菜', replyToCard: 'card' },
      { expect: { groupMessage: /^Bob 参加了 #1 ×2 大份。\n备注：不要香菜$/, card: [/1\. Bob ×2 大份/], cardNot: [/香菜/] } },
    ]);
    const server = t.driver.server;
    const photos = server.calls('sendPhoto');
    expect(photos.map((c) => [c.params.photo, c.params.caption])).toEqual([[t.driver.fileIdOf('mooncakes.jpg'), '🛒 #1 月饼']]);
    const order = server.calls().filter((c) => c.method === 'sendPhoto' || c.method === 'sendMessage').map((c) => c.method);
    expect(order.slice(0, 2)).toEqual(['sendPhoto', 'sendMessage']);
    expect(server.calls('editMessageCaption')).toEqual([]);
    expect(server.calls('editMessageText').length).toBeGreaterThan(0);
  });

  it('delivers /export as a CSV, an XLSX that reads back in Chinese with a total row and a pickup sheet, and the pickup CSV', async () => {
    await t.play([
      { as: 'anna', command: '/newbuy 月饼 | 规格 小份:10:5 大份:18:2 | 最少 1 | 截止 2h | 自提 东门' },
      { as: 'bob', command: '/join 2 大份 备注 不要香菜' },
      { as: 'anna', command: '/export' },
    ]);
    const files = t.driver.server.documents();
    expect(files.map((f) => f.filename)).toEqual(['buy-1.csv', 'buy-1.xlsx', 'buy-1-pickup.csv']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(files[1]!.content as never);
    const orders = book.getWorksheet('订单')!;
    expect(orders.getRow(1).getCell(1).value).toBe('姓名');
    expect([2, 3, 4, 5, 9].map((c) => orders.getRow(2).getCell(c).value)).toEqual(['大份', 2, 18, 36, '不要香菜']);
    expect([1, 3, 5].map((c) => orders.getRow(3).getCell(c).value)).toEqual(['合计', 2, 36]);
    expect(book.getWorksheet('按自提点汇总')!.getRow(2).values).toEqual([undefined, '东门', '大份', 1, 2, 36]);
  });
});
