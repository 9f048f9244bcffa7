import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
import type { DocumentReply } from '../../../core/replies.js';
import { GROUP, HOUR, OTHER_GROUP, alice, anna, bob, laoLi, useCoreHarness, wang } from '../../support/core-harness.js';

const h = useCoreHarness();

/** Reads CSV as RFC 4180 says: quoted fields may hold commas, quotes ("") and line breaks; rows end in CRLF or LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const HEADER = ['name', 'platform id', 'quantity', 'price', 'paid', 'delivered', 'pickup', 'joined at', 'status', 'variant', 'note', 'line total'];

const text = (doc: DocumentReply | undefined): string => {
  if (typeof doc?.content !== 'string') throw new Error(`${doc?.filename} is not text`);
  return doc.content;
};

/** Reads an XLSX back with exceljs: each sheet's name and its rows as plain values. */
async function readXlsx(doc: DocumentReply | undefined): Promise<{ name: string; rows: unknown[][] }[]> {
  if (!doc || typeof doc.content === 'string') throw new Error('not an xlsx');
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(doc.content) as never);
  return book.worksheets.map((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push(Array.from(row.values as unknown[]).slice(1).map((v) => v ?? null)));
    return { name: sheet.name, rows };
  });
}
const tricky: Actor = { id: 'tg:31', displayName: 'Chen, "CC"\nJr', username: 'chen', languageCode: 'en' };

describe('/export', () => {
  it('sends the admin a CSV of the sign-ups privately: active in join order, then the waitlist, without those who left', async () => {
    const buy = await h.openBuy('Tea | 10 | min 1 | max 4 | ends 2h | tiers 3:8 | pickup East gate, door 2');
    await h.command(alice, '/join 2');
    h.clock.advance(10 * 60_000);
    await h.command(tricky, '/join 1');
    await h.command(bob, '/join 1');
    await h.command(bob, '/leave');
    h.clock.advance(5 * 60_000);
    await h.command(wang, '/join 2');
    // One unit is left and 王芳 wants 2: she chooses the waitlist for 2.
    await h.press(wang, `jw:${buy.id}:2`);
    await h.command(anna, '/paid @alice');

    await h.command(anna, '/export');

    const [doc, xlsx, pickup, ...more] = h.documents(anna);
    expect(more).toEqual([]);
    expect(doc).toMatchObject({ filename: `buy-${buy.id}.csv`, mimeType: 'text/csv', caption: 'Order list of #1 Tea (3 rows).' });
    expect(parseCsv(text(doc))).toEqual([
      HEADER,
      ['Alice', alice.id, '2', '8.00', 'yes', 'no', 'East gate, door 2', '2026-12-20 10:00', 'active', '', '', '16.00'],
      ['Chen, "CC"\nJr', tricky.id, '1', '8.00', 'no', 'no', 'East gate, door 2', '2026-12-20 10:10', 'active', '', '', '8.00'],
      ['王芳', wang.id, '2', '8.00', 'no', 'no', 'East gate, door 2', '2026-12-20 10:15', 'waitlisted', '', '', '16.00'],
    ]);
    expect(xlsx).toMatchObject({ filename: `buy-${buy.id}.xlsx`, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(pickup).toMatchObject({ filename: `buy-${buy.id}-pickup.csv` });
    // Waitlisted units are not orders: the pickup summary counts Alice and Chen only.
    expect(parseCsv(text(pickup))).toEqual([['pickup', 'variant', 'members', 'quantity', 'amount'], ['East gate, door 2', '', '2', '3', '24.00']]);
    // One pointer in the group for the three files.
    expect(h.messagesIn().filter((m) => m.includes('sent it to you privately'))).toEqual(["Anna, I've sent it to you privately."]);
  });

  it('exports a closed buy with its final price and delivery marks, by id, with a Chinese caption', async () => {
    await h.command(anna, '/timezone Europe/Berlin');
    const buy = await h.openBuy('Tea | 10 | min 1 | max 4 | ends 2h');
    await h.command(alice, '/join 2');
    await h.advanceAndRunJobs(2 * HOUR);
    await h.command(anna, '/delivered all');
    await h.openBuy('Rice | 10 | min 1 | max 4 | ends 2h');

    await h.command(laoLi, `/export #${buy.id}`);

    const [doc] = h.documents(laoLi);
    expect(doc?.caption).toBe('#1 Tea 的订单名单（1 行）。');
    expect(parseCsv(text(doc))).toEqual([HEADER, ['Alice', alice.id, '2', '10.00', 'no', 'yes', '', '2026-12-20 03:00', 'active', '', '', '20.00']]);
  });

  it('is for admins only', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 4 | ends 2h');
    await h.command(bob, '/export');
    expect(h.lastMessageIn()).toBe('Sorry, only group admins can do that.');
    expect(h.documents()).toEqual([]);
  });

  it('asks the admin to open a private chat when DMs are refused, and sends nothing to the group', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 4 | ends 2h');
    h.port.dmBlocked.add(anna.id);
    await h.command(anna, '/export');
    expect(h.documents()).toEqual([]);
    expect(h.lastMessageIn(GROUP.id)).toBe("Anna, I can't message you privately yet. Open a private chat with me, press Start, then try again.");
  });

  it('refuses a buy of another group and a chat without buys', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 4 | ends 2h', anna, { chat: OTHER_GROUP });
    await h.command(anna, '/export 1');
    expect(h.lastMessageIn()).toBe('There is no buy #1 in this chat.');
    await h.command(anna, '/export');
    expect(h.lastMessageIn()).toBe('There is no open buy in this chat right now.');
    expect(h.documents()).toEqual([]);
  });

  it('neutralises a display name that a spreadsheet would run as a formula', async () => {
    await h.openBuy('Tea | 10 | min 1 | max 4 | ends 2h');
    await h.command({ id: 'tg:66', displayName: '=HYPERLINK("http://evil.example","x")', languageCode: 'en' }, '/join');
    await h.command(anna, '/export');
    const [csv, xlsx] = h.documents(anna);
    const [, row] = parseCsv(text(csv));
    expect(row![0]).toBe(`'=HYPERLINK("http://evil.example","x")`);
    const [orders] = await readXlsx(xlsx);
    expect(orders!.rows[1]![0]).toBe(`'=HYPERLINK("http://evil.example","x")`);
  });

  it('sends the supplier an XLSX in the group language: variant, note, unit price, line total, 是/否, a total row and a sheet per pickup point', async () => {
    await h.command(anna, '/lang zh');
    const buy = await h.openBuy('月饼 | 规格 小份:10:20 大份:18:10 | 最少 1 | 截止 2h | 自提 东门');
    await h.command(alice, '/join 2 大份 备注 不要香菜');
    await h.command(bob, '/join 1 小份');
    await h.command(wang, '/join 3 小份 note: =1+1');
    await h.command(anna, '/paid @alice');

    await h.command(anna, '/export');
    const [csv, xlsx] = h.documents(anna);
    expect(parseCsv(text(csv)).map((r) => [r[0], r[2], r[3], r[9], r[10], r[11]])).toEqual([
      ['name', 'quantity', 'price', 'variant', 'note', 'line total'],
      ['Alice', '2', '18.00', '大份', '不要香菜', '36.00'],
      ['Bob', '1', '10.00', '小份', '', '10.00'],
      ['王芳', '3', '10.00', '小份', "'=1+1", '30.00'],
    ]);
    const [orders, summary, ...others] = await readXlsx(xlsx);
    expect(others).toEqual([]);
    expect(orders!.name).toBe('订单');
    expect(orders!.rows).toEqual([
      ['姓名', '规格', '数量', '单价', '小计', '已付款', '已送达', '自提点', '备注', '状态', '报名时间', '平台 ID'],
      ['Alice', '大份', 2, 18, 36, '是', '否', '东门', '不要香菜', '已参团', '2026-12-20 10:00', alice.id],
      ['Bob', '小份', 1, 10, 10, '否', '否', '东门', null, '已参团', '2026-12-20 10:00', bob.id],
      ['王芳', '小份', 3, 10, 30, '否', '否', '东门', "'=1+1", '已参团', '2026-12-20 10:00', wang.id],
      ['合计', null, 6, null, 76],
    ]);
    expect(summary!.name).toBe('按自提点汇总');
    expect(summary!.rows).toEqual([
      ['自提点', '规格', '人数', '数量', '金额'],
      ['东门', '小份', 2, 4, 40],
      ['东门', '大份', 1, 2, 36],
    ]);
    expect(buy.variants).toHaveLength(2);
  });

  it('writes the XLSX headers and yes/no in English for an English group', async () => {
    await h.command(anna, '/lang en');
    await h.openBuy('Tea | 10 | min 1 | max 4 | ends 2h');
    await h.command(alice, '/join 2 note pick up Friday');
    await h.command(anna, '/export');
    const [orders, summary] = await readXlsx(h.documents(anna)[1]);
    expect(orders!.name).toBe('Orders');
    expect(orders!.rows[0]).toEqual(['Name', 'Variant', 'Quantity', 'Unit price', 'Line total', 'Paid', 'Delivered', 'Pickup point', 'Note', 'Status', 'Joined at', 'Platform id']);
    expect(orders!.rows[1]!.slice(0, 10)).toEqual(['Alice', null, 2, 10, 20, 'no', 'no', null, 'pick up Friday', 'in']);
    expect(orders!.rows[2]).toEqual(['Total', null, 2, null, 20]);
    expect(summary!.name).toBe('By pickup point');
  });
});
