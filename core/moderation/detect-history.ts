/**
 * The history the detector reads, packed into integer-indexed arrays: a million likes cost a few flat arrays
 * instead of a million objects. Ids are interned to integers once, as they are read (`IdTable`: a reader holding
 * the line's bytes interns them without making a string). Likes undone by an `unlike` are dropped; likes made
 * inside a like round or like task the bot ran on that share are kept apart as sanctioned (context, never evidence).
 */
import type { HistoryEvent } from './history-event.js';

/** Stores in the history what the reader could not take as given, so a caller can say so. */
export interface HistoryProblems {
  /** Shares liked (or named by a round) that no `post` line introduced (kept: the share may predate the file). */
  unknownPosts: number;
  /** A like of a share the account already likes (kept once). */
  repeatedLikes: number;
  /** An unlike with no like before it (ignored). */
  unlikesWithoutLike: number;
  /** A second `post` or `member` line for the same share or account (the earliest is kept). */
  repeatedDefinitions: number;
  /** Likes and unlikes timed before their share was posted (dropped: a like cannot precede its share). */
  likesBeforePost: number;
  /** Accounts that liked, posted or bought before the time of their `member` line (that join time is not used). */
  actedBeforeJoining: number;
  /** A purchase repeated exactly: same account, time, amount, product and quantity (counted once). */
  repeatedPurchases: number;
}

export interface PackedHistory {
  userIds: string[];
  postIds: string[];
  /** By user: join time in ms, NaN when unknown (no `member` line, or one the account's own activity contradicts). */
  joinedAt: Float64Array;
  /** By user: shares posted, purchases. */
  postsBy: Int32Array;
  purchasesBy: Int32Array;
  /** By post: author's user index (-1 unknown), posting time (NaN unknown). */
  authorOf: Int32Array;
  postedAt: Float64Array;
  /** The live, unsanctioned likes: parallel arrays, ordered by share and, within a share, by time. */
  likePost: Int32Array;
  likeUser: Int32Array;
  likeAt: Float64Array;
  likeCount: number;
  /** By user: sanctioned likes (inside a round or task the bot ran). */
  sanctionedBy: Int32Array;
  problems: HistoryProblems;
}

/** A growable column of numbers (a million likes in a typed array, not a million boxed values). */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public values: T) {}
  push(x: number) {
    if (this.length === this.values.length) this.grow(this.length + 1);
    this.values[this.length++] = x;
  }
  /** Makes index `i` addressable, new slots set to `fill`. */
  reach(i: number, fill: number) {
    if (i < this.length) return;
    if (i >= this.values.length) this.grow(i + 1);
    this.values.fill(fill, this.length, i + 1);
    this.length = i + 1;
  }
  private grow(atLeast: number) {
    const grown = new (this.values.constructor as new (n: number) => T)(Math.max(atLeast, this.values.length * 2, 16));
    grown.set(this.values);
    this.values = grown;
  }
  take(): T {
    return this.values.subarray(0, this.length) as T;
  }
  /** Lets the memory go (the column is empty afterwards). */
  release() {
    this.values = new (this.values.constructor as new (n: number) => T)(0);
    this.length = 0;
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/**
 * A slot of the id table (at most 2^24 slots), in 32-bit words: id + 1 (0: empty); the hash's upper 24 bits with the length (up to 255)
 * in the lower 8; the first 8 bytes. 16 bytes a slot keep the table small (it is read at random, once a like).
 */
const SLOT = 4;
const INLINE_BYTES = 8;

/**
 * Ids to dense integers (0, 1, 2, ... in order of first sight). ASCII ids (nearly all) live in an open-addressing
 * table keyed by their bytes, so a reader can intern the bytes of a line without making a string for each like;
 * other ids in a Map. One id has one number whichever way it came in, since the split is by content. A slot holds
 * the hash, the length and the first 8 bytes, so looking up a short id touches one place in memory.
 */
export class IdTable {
  private slots = new Int32Array(SLOT << 12);
  private mask = (1 << 12) - 1;
  /** A slot's home is the hash's top bits (the key keeps those, so a rehash can find homes again). */
  private shift = 32 - 12;
  /** Every ASCII id's bytes, one after another (for ids longer than a slot holds, and for `toStrings`). */
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /** By id: where its bytes start in `bytes` (-1 for a non-ASCII id), and how many. */
  private readonly offset = new Column(new Int32Array(1024));
  private readonly length = new Column(new Int32Array(1024));
  private readonly others = new Map<string, number>();
  private readonly strings: (string | undefined)[] = [];
  private scratch = new Uint8Array(64);

  get size(): number {
    return this.strings.length;
  }

  /** The number of the id spelled by `source[start..end)`, which must be ASCII (each byte below 0x80). */
  internAscii(source: Uint8Array, start: number, end: number): number {
    const length = end - start;
    let hash = FNV_OFFSET;
    let w0 = 0;
    let w1 = 0;
    for (let k = 0; k < length; k++) {
      const c = source[start + k]!;
      hash = Math.imul(hash ^ c, FNV_PRIME);
      if (k < 4) w0 |= c << (k << 3);
      else if (k < 8) w1 |= c << ((k - 4) << 3);
    }
    // FNV's low bits mix poorly (similar ids would crowd together in the table): finish with murmur3's mixer.
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    hash ^= hash >>> 16;
    const key = (hash & ~0xff) | Math.min(length, 0xff);
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash >>> this.shift;
    for (;; slot = (slot + 1) & mask) {
      const s = slot * SLOT;
      const id = slots[s]! - 1;
      if (id < 0) break;
      if (slots[s + 1] !== key || slots[s + 2] !== w0 || slots[s + 3] !== w1) continue;
      if (length <= INLINE_BYTES || this.sameTail(id, source, start, length)) return id;
    }
    const id = this.strings.length;
    this.strings.push(undefined);
    const s = slot * SLOT;
    slots[s] = id + 1;
    slots[s + 1] = key;
    slots[s + 2] = w0;
    slots[s + 3] = w1;
    if (this.used + length > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(source.subarray(start, end), this.used);
    this.offset.push(this.used);
    this.length.push(length);
    this.used += length;
    if (2 * this.strings.length > mask) this.rehash();
    return id;
  }

  private sameTail(id: number, source: Uint8Array, start: number, length: number): boolean {
    if (this.length.values[id] !== length) return false;
    const at = this.offset.values[id]!;
    for (let k = INLINE_BYTES; k < length; k++) if (this.bytes[at + k] !== source[start + k]) return false;
    return true;
  }

  intern(id: string): number {
    const n = id.length;
    if (n > this.scratch.length) this.scratch = new Uint8Array(2 * n);
    const scratch = this.scratch;
    for (let i = 0; i < n; i++) {
      const c = id.charCodeAt(i);
      if (c >= 0x80) return this.internOther(id);
      scratch[i] = c;
    }
    const number = this.internAscii(scratch, 0, n);
    this.strings[number] ??= id;
    return number;
  }

  private internOther(id: string): number {
    let number = this.others.get(id);
    if (number === undefined) {
      number = this.strings.length;
      this.strings.push(id);
      this.others.set(id, number);
      this.offset.push(-1);
      this.length.push(0);
    }
    return number;
  }

  private rehash() {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(size * SLOT);
    this.mask = size - 1;
    this.shift--;
    for (let s = 0; s < old.length; s += SLOT) {
      if (old[s] === 0) continue;
      let slot = old[s + 1]! >>> this.shift;
      while (this.slots[slot * SLOT] !== 0) slot = (slot + 1) & this.mask;
      this.slots.set(old.subarray(s, s + SLOT), slot * SLOT);
    }
  }

  /** Every id as a string, by number. */
  toStrings(): string[] {
    const offset = this.offset.values;
    const ascii = new TextDecoder();
    const strings = new Array<string>(this.strings.length);
    // Backwards: an ASCII id's bytes end where the next ASCII id's begin.
    let end = this.used;
    for (let id = this.strings.length - 1; id >= 0; id--) {
      const at = offset[id]!;
      strings[id] = this.strings[id] ?? ascii.decode(this.bytes.subarray(at, end));
      if (at >= 0) end = at;
    }
    return strings;
  }
}

/**
 * Packs a history one event at a time (a file streams through without its lines held). Likes and unlikes are
 * paired at `finish`, in time order per share, so lines out of order still pair right. `add` takes an event
 * object; a reader that has the ids as numbers (`users`, `posts`) and the time in ms calls the typed methods.
 */
export class HistoryPacker {
  readonly users = new IdTable();
  readonly posts = new IdTable();
  private readonly joinedAt = new Column(new Float64Array(1024));
  private readonly firstActAt = new Column(new Float64Array(1024));
  private readonly postsBy = new Column(new Int32Array(1024));
  private readonly authorOf = new Column(new Int32Array(1024));
  private readonly postedAt = new Column(new Float64Array(1024));
  private repeatedDefinitions = 0;
  /** Purchases as read: account, time, and what was bought (a number for amount, product and quantity). */
  private readonly purchaseUser = new Column(new Int32Array(1024));
  private readonly purchaseAt = new Column(new Float64Array(1024));
  private readonly purchaseWhat = new Column(new Int32Array(1024));
  private readonly details = new Map<string, number>();
  /** Likes (+1) and unlikes (-1) as read. */
  private readonly actPost = new Column(new Int32Array(1 << 16));
  private readonly actUser = new Column(new Int32Array(1 << 16));
  private readonly actSign = new Column(new Int32Array(1 << 16));
  private readonly actAt = new Column(new Float64Array(1 << 16));
  private readonly rounds = new Map<number, [number, number][]>();
  private finished = false;

  private acted(user: number, at: number) {
    this.firstActAt.reach(user, Number.POSITIVE_INFINITY);
    if (at < this.firstActAt.values[user]!) this.firstActAt.values[user] = at;
  }

  /** A like (`sign` 1) or unlike (-1) of share `post` by `user` at `at` ms. */
  act(post: number, user: number, sign: 1 | -1, at: number): void {
    this.actPost.push(post);
    this.actUser.push(user);
    this.actSign.push(sign);
    this.actAt.push(at);
  }

  member(user: number, at: number): void {
    this.joinedAt.reach(user, Number.NaN);
    const known = this.joinedAt.values[user]!;
    if (Number.isNaN(known)) this.joinedAt.values[user] = at;
    else {
      this.repeatedDefinitions++;
      // A second join line: keep the earliest (the account is at least that old).
      if (at < known) this.joinedAt.values[user] = at;
    }
  }

  post(post: number, author: number, at: number): void {
    this.authorOf.reach(post, -1);
    this.postedAt.reach(post, Number.NaN);
    this.postsBy.reach(author, 0);
    this.acted(author, at);
    const known = this.authorOf.values[post]!;
    if (known !== -1) {
      this.repeatedDefinitions++;
      // Keep the earliest definition (the first one read when tied).
      if (!(at < this.postedAt.values[post]!)) return;
      this.postsBy.values[known]!--;
    }
    this.authorOf.values[post] = author;
    this.postedAt.values[post] = at;
    this.postsBy.values[author]!++;
  }

  /**
   * A number for what a purchase was (amount, product, quantity): two purchases by one account at one time that
   * differ in it are two purchases; the same again is a repeat.
   */
  purchaseDetail(amount: number | undefined, product?: string, quantity?: number): number {
    const key = `${amount ?? ''} ${product ?? ''} ${quantity ?? ''}`;
    let detail = this.details.get(key);
    if (detail === undefined) this.details.set(key, (detail = this.details.size));
    return detail;
  }

  /** A purchase by `user` at `at`, `what` from `purchaseDetail`. */
  purchase(user: number, at: number, what: number): void {
    this.purchaseUser.push(user);
    this.purchaseAt.push(at);
    this.purchaseWhat.push(what);
    this.acted(user, at);
  }

  round(posts: readonly number[], start: number, end: number): void {
    for (const p of posts) (this.rounds.get(p) ?? this.rounds.set(p, []).get(p)!).push([start, end]);
  }

  add(event: HistoryEvent): void {
    switch (event.type) {
      case 'like':
      case 'unlike':
        this.act(this.posts.intern(event.post), this.users.intern(event.user), event.type === 'like' ? 1 : -1, event.at.getTime());
        break;
      case 'member':
        this.member(this.users.intern(event.user), event.at.getTime());
        break;
      case 'post': {
        const p = this.posts.intern(event.post);
        this.post(p, this.users.intern(event.author), event.at.getTime());
        break;
      }
      case 'purchase':
        this.purchase(this.users.intern(event.user), event.at.getTime(), this.purchaseDetail(event.amount, event.product, event.quantity));
        break;
      case 'round':
        this.round(
          event.posts.map((id) => this.posts.intern(id)),
          event.start.getTime(),
          event.end.getTime(),
        );
        break;
    }
  }

  /** The packed history; once (the likes read are let go). */
  finish(): PackedHistory {
    if (this.finished) throw new Error('HistoryPacker.finish() called twice');
    this.finished = true;
    const users = this.users.size;
    const posts = this.posts.size;
    const perUser = <T extends Int32Array | Float64Array>(column: Column<T>, fill: number): T => {
      column.reach(users - 1, fill);
      return column.take();
    };
    const perPost = <T extends Int32Array | Float64Array>(column: Column<T>, fill: number): T => {
      column.reach(posts - 1, fill);
      return column.take();
    };
    const problems: HistoryProblems = {
      unknownPosts: 0, repeatedLikes: 0, unlikesWithoutLike: 0, repeatedDefinitions: this.repeatedDefinitions, likesBeforePost: 0, actedBeforeJoining: 0,
      repeatedPurchases: 0,
    };
    const purchasesBy = new Int32Array(users);
    {
      // Count each account's purchases, a repeat (same account, time and detail) once: grouped by account (a
      // counting sort), each account's few purchases compared with one another.
      const n = this.purchaseUser.length;
      const user = this.purchaseUser.values;
      const at = this.purchaseAt.values;
      const what = this.purchaseWhat.values;
      const start = new Int32Array(users + 1);
      for (let i = 0; i < n; i++) start[user[i]! + 1]!++;
      for (let u = 0; u < users; u++) start[u + 1]! += start[u]!;
      const next = start.slice(0, users);
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[next[user[i]!]!++] = i;
      for (let u = 0; u < users; u++) {
        for (let k = start[u]!; k < start[u + 1]!; k++) {
          const i = order[k]!;
          let repeat = false;
          for (let j = start[u]!; j < k && !repeat; j++) repeat = at[order[j]!] === at[i] && what[order[j]!] === what[i];
          if (repeat) problems.repeatedPurchases++;
          else purchasesBy[u]!++;
        }
      }
    }
    const authorOf = perPost(this.authorOf, -1);
    const postedAt = perPost(this.postedAt, Number.NaN);
    const joinedAt = perUser(this.joinedAt, Number.NaN);
    // Posts and purchases are in already; likes and unlikes come in below.
    const firstActAt = perUser(this.firstActAt, Number.POSITIVE_INFINITY);
    for (let p = 0; p < posts; p++) if (authorOf[p] === -1) problems.unknownPosts++;

    // Group the acts by share, gathering them in one pass (a counting sort: each share's acts keep the reading
    // order), so that what follows reads them in turn.
    const n = this.actPost.length;
    const start = new Int32Array(posts + 1);
    {
      const post = this.actPost.values;
      for (let i = 0; i < n; i++) start[post[i]! + 1]!++;
    }
    for (let p = 0; p < posts; p++) start[p + 1]! += start[p]!;
    const user = new Int32Array(n);
    const at = new Float64Array(n);
    const sign = new Int8Array(n);
    {
      const next = start.slice(0, posts);
      const post = this.actPost.values;
      const readUser = this.actUser.values;
      const readAt = this.actAt.values;
      const readSign = this.actSign.values;
      for (let i = 0; i < n; i++) {
        const k = next[post[i]!]!++;
        user[k] = readUser[i]!;
        at[k] = readAt[i]!;
        sign[k] = readSign[i]!;
      }
      // Read once: let the columns' memory go before the detector allocates its own (a packer finishes once).
      for (const column of [this.actPost, this.actUser, this.actSign, this.actAt]) column.release();
    }
    // By account u, side by side (one read a like): state[4u] the share of u's live like, state[4u + 1] its
    // position (while state[4u] is the current share), state[4u + 2] u's first act.
    const state = new Float64Array(4 * users);
    for (let u = 0; u < users; u++) {
      state[4 * u] = -1;
      state[4 * u + 1] = -1;
      state[4 * u + 2] = firstActAt[u]!;
    }
    const kept = new Uint8Array(n);
    let likes = 0;
    for (let p = 0; p < posts; p++) {
      const from = start[p]!;
      const to = start[p + 1]!;
      // Each share's acts in time order (ties in reading order).
      for (let k = from + 1; k < to; k++) {
        if (at[k - 1]! > at[k]!) {
          const order = Int32Array.from({ length: to - from }, (_, x) => from + x).sort((a, b) => at[a]! - at[b]! || a - b);
          const byTime = { user: order.map((x) => user[x]!), at: Float64Array.from(order, (x) => at[x]!), sign: Int8Array.from(order, (x) => sign[x]!) };
          user.set(byTime.user, from);
          at.set(byTime.at, from);
          sign.set(byTime.sign, from);
          break;
        }
      }
      const posted = postedAt[p]!;
      for (let k = from; k < to; k++) {
        if (at[k]! < posted) {
          problems.likesBeforePost++;
          continue;
        }
        const s = 4 * user[k]!;
        if (at[k]! < state[s + 2]!) state[s + 2] = at[k]!;
        const liked = state[s] === p ? state[s + 1]! : -1;
        if (sign[k] === 1) {
          if (liked >= 0) problems.repeatedLikes++;
          else {
            state[s] = p;
            state[s + 1] = k;
            kept[k] = 1;
            likes++;
          }
        } else if (liked < 0) problems.unlikesWithoutLike++;
        else {
          kept[liked] = 0;
          likes--;
          state[s + 1] = -1;
        }
      }
    }
    for (let u = 0; u < users; u++) {
      if (state[4 * u + 2]! < joinedAt[u]!) {
        problems.actedBeforeJoining++;
        joinedAt[u] = Number.NaN;
      }
    }
    // The kept likes, share by share in time order; those inside a round the bot ran on that share set apart.
    const likePost = new Int32Array(likes);
    const likeUser = new Int32Array(likes);
    const likeAt = new Float64Array(likes);
    const sanctionedBy = new Int32Array(users);
    let count = 0;
    for (let p = 0; p < posts; p++) {
      const windows = this.rounds.get(p);
      for (let k = start[p]!; k < start[p + 1]!; k++) {
        if (!kept[k]) continue;
        if (windows?.some(([from, to]) => at[k]! >= from && at[k]! <= to)) {
          sanctionedBy[user[k]!]!++;
          continue;
        }
        likePost[count] = p;
        likeUser[count] = user[k]!;
        likeAt[count] = at[k]!;
        count++;
      }
    }
    return {
      userIds: this.users.toStrings(),
      postIds: this.posts.toStrings(),
      joinedAt,
      postsBy: perUser(this.postsBy, 0),
      purchasesBy,
      authorOf,
      postedAt,
      likePost: likePost.subarray(0, count),
      likeUser: likeUser.subarray(0, count),
      likeAt: likeAt.subarray(0, count),
      likeCount: count,
      sanctionedBy,
      problems,
    };
  }
}

/** Packs a whole history at once. */
export function packHistory(events: Iterable<HistoryEvent>): PackedHistory {
  const packer = new HistoryPacker();
  for (const event of events) packer.add(event);
  return packer.finish();
}
