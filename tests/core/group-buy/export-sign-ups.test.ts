import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../core/events.js';
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

const HEADER = ['name', 'platform id', 'quantity', 'price', 'paid', 'delivered', 'pickup', 'joined at', 'status'];
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
    await h.command(anna, '/paid @alice');

    await h.command(anna, '/export');

    const [doc, ...more] = h.documents(anna);
    expect(more).toEqual([]);
    expect(doc).toMatchObject({ filename: `buy-${buy.id}.csv`, mimeType: 'text/csv', caption: 'Order list of #1 Tea (3 rows).' });
    expect(parseCsv(doc!.content)).toEqual([
      HEADER,
      ['Alice', alice.id, '2', '8.00', 'yes', 'no', 'East gate, door 2', '2026-12-20 10:00', 'active'],
      ['Chen, "CC"\nJr', tricky.id, '1', '8.00', 'no', 'no', 'East gate, door 2', '2026-12-20 10:10', 'active'],
      ['王芳', wang.id, '2', '8.00', 'no', 'no', 'East gate, door 2', '2026-12-20 10:15', 'waitlisted'],
    ]);
    expect(h.lastMessageIn()).toBe("Anna, I've sent it to you privately.");
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
    expect(parseCsv(doc!.content)).toEqual([HEADER, ['Alice', alice.id, '2', '10.00', 'no', 'yes', '', '2026-12-20 03:00', 'active']]);
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
    const [, row] = parseCsv(h.documents(anna)[0]!.content);
    expect(row![0]).toBe(`'=HYPERLINK("http://evil.example","x")`);
  });
});
