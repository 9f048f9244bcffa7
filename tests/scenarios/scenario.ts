/**
 * The vocabulary of platform-neutral scenarios: who is in the group, what they do, and what the group, each
 * member's private chat and the buy's card should then show. Every chat adapter plays the same scenarios through
 * its own driver (tests/support/scenario-runner.ts), so Telegram and Discord cannot drift apart.
 *
 * Expectations are about meaning, not about a platform: "Bob got a private message saying a place opened", never
 * "sendMessage was called with chat_id 1003".
 */

/** The languages a scenario can be played in. A member's language is their client's language hint. */
export type Lang = 'en' | 'zh';

/**
 * What a text should say: one pattern for any language, or one per language (the one for the language the
 * scenario is being played in is used).
 */
export type Said = RegExp | { en: RegExp; zh: RegExp };

/** A member of the group the scenario is played in. */
export interface MemberSpec {
  /** Display name, as the platform shows it. */
  name: string;
  /** Handle, without the @ (`/paid @bob`). None: a Telegram member without a username (Discord always has one). */
  username?: string;
  /** A group admin, according to the platform. */
  admin?: boolean;
  /** The member's client language; by default the language the scenario is being played in. */
  language?: Lang;
  /** Has opened a private chat with the bot, so it may message them. Default true. */
  acceptsDms?: boolean;
}

/**
 * Where chat platforms differ in ways a member notices. A step that holds only on some platforms names the traits
 * it needs (`only`); drivers declare theirs. Traits, not platform names, so a third adapter slots in.
 */
export interface PlatformTraits {
  /**
   * A private answer to a command typed in the group is shown in place, to that member only (Discord's ephemeral
   * replies), instead of arriving in their private chat with a "sent to you privately" note in the group. It then
   * needs no private chat to have been opened first.
   */
  privateRepliesInPlace: boolean;
  /**
   * Commands take typed options the platform's client checks before sending (Discord slash commands), so input such
   * as `/join abc` or an unknown `/newbuy` field cannot be sent at all.
   */
  typedCommandOptions: boolean;
  /** A button press can be answered by a notice the member must dismiss (Telegram's alert) as well as a brief one. */
  alertToasts: boolean;
  /**
   * The bot sees group messages not addressed to it (Telegram with privacy mode off, as the fake server runs it;
   * Discord only with the privileged Message Content intent, which the bot does not ask for).
   */
  overhearsGroupMessages: boolean;
}

/** Which card a step is about: the newest card (default) or the n-th card posted in this scenario (1-based). */
export type CardRef = 'card' | { card: number };

/** One thing a member does. The driver waits until the bot has dealt with it before the next step. */
export type ActStep =
  | {
      as: string;
      /** A command as typed in the group, e.g. `/join 2`. */
      command: string;
      /** Where: the group (default), or the member's private chat with the bot (which lets it DM them). */
      in?: 'group' | 'private';
      /** The platform hands the bot this same update twice (a redelivery). */
      deliveredTwice?: boolean;
      /**
       * A photo sent with the command, by file name (Telegram: the command is the photo's caption; Discord: the
       * command's attachment option).
       */
      photo?: string;
      /**
       * The command is about a message posted earlier (`post` with this `name`): Telegram, a reply to it; Discord,
       * the command's message command in the message's Apps menu, which carries the message's own words, so the
       * command's words must be the message's or none.
       */
      replyTo?: string;
    }
  | {
      as: string;
      /** Presses the button whose action is this or starts with it and a colon, e.g. `join` for `join:1`. */
      press: string;
      /** Of the buttons with that action, the one whose label matches (e.g. the 4-star one of five). */
      label?: Said;
      /**
       * Whose buttons: a card in the group (the newest by default), the bot's newest message with such a button in
       * the member's private chat, or in the group (`group`: a question such as Confirm/Keep, not a card).
       */
      on?: CardRef | 'private' | 'group';
    }
  | {
      as: string;
      /** Answers the bot's latest question to this member (a reply, as the platform expects answers). */
      answer: string;
    }
  | {
      as: string;
      /** A message a member writes (not a command): its words, possibly empty. */
      post: string;
      /** Photos sent with it, by file name (Telegram: one message per photo, the words on the first; Discord: one message). */
      photos?: string[];
      /** A video sent with it, of this many seconds (as the platform reports it). */
      video?: { name: string; seconds: number };
      /** Where: the group (default), or the member's private chat with the bot. */
      in?: 'group' | 'private';
      /** A name for `replyTo`. */
      name?: string;
      /** Sent as a reply to a card (the newest, or the n-th), as a member answers a buy card with `+1`. */
      replyToCard?: CardRef;
    }
  | {
      as: string;
      /** Adds this native emoji reaction to a card. */
      react: string;
      on?: CardRef;
    }
  | {
      as: string;
      /** Takes back this reaction of theirs from a card. */
      unreact: string;
      on?: CardRef;
    };

/** Time passes (ManualClock), then the deadline machinery runs: the sweep, and/or the recorded jobs now due. */
export interface ClockStep {
  /** A duration such as `3h` or `90m`. */
  advanceClock: string;
  sweep?: boolean;
  runDueJobs?: boolean;
}

/** A private message, toast or question meant for one member. */
export interface ToMember {
  to: string;
  matches: Said;
  /** Its buttons' labels, in order, exactly (each pattern matches one label). */
  buttons?: Said[];
  /** Its link buttons, exactly: each opens the private profile or chat of the member `to` on the platform. */
  links?: { label: Said; to: string }[];
  /**
   * A message in their private chat that stays in its history, not one shown to them in place only (Discord's
   * ephemeral replies), so its buttons cannot be dismissed.
   */
  kept?: boolean;
  /**
   * It comes with a picture the bot drew: a PNG (its signature and IHDR checked) of this size, uploaded with the
   * message, or right before it when the text did not fit a caption.
   */
  picture?: { width: number; height: number };
}

/**
 * What should be seen now. Message expectations look at what the bot said since the last act or clock step;
 * card expectations look at the card as it is now (after every edit); store expectations at the database.
 */
export interface Expectation {
  /**
   * Each pattern matches some message the bot showed in the group (cards and questions excluded): to everyone, or to
   * the one member it answers where the platform can show a message to one member only.
   */
  groupMessage?: Said | Said[];
  /** Exactly this many group messages match (a change announced once, not twice). */
  groupMessageTimes?: { matches: Said; times: number };
  /** No group message matches (`/./` for "the bot said nothing in the group"). */
  noGroupMessage?: Said;
  /** Each pattern matches some message the bot showed to everyone in the group (not to one member only). */
  announcement?: Said | Said[];
  /** Which card the card expectations are about: the n-th posted in this scenario (1-based); default the newest. */
  cardNumber?: number;
  /** The card's text matches every pattern. */
  card?: Said[];
  /** The card's text matches none of these. */
  cardNot?: Said[];
  /** Actions the card's buttons offer (by prefix, in order): `['join', 'leave']`, or `[]` once closed. */
  cardButtons?: string[];
  /** The card's button labels, in order (each pattern matches one label). */
  cardButtonLabels?: Said[];
  /** Cards posted in this scenario so far: changes edit the card in place, they do not post a new one. */
  cardsPosted?: number;
  /** The card has been edited in place at least once. */
  cardEdited?: boolean;
  /** The photo the card shows, by the file name a member sent it as; `null`: no photo. */
  cardPhoto?: string | null;
  /**
   * Every message the bot posted in the group to show a photo (a buy's product photo above its card), in order, as
   * it looks now: its text, the photo it shows (by file name), and whether it was edited in place.
   */
  photoPosts?: { text: Said; photo: string | null; edited?: boolean }[];
  /** Cards the bot pinned in the group, in the order it pinned them. */
  pinnedCards?: number[];
  /**
   * Private messages received (each matches some message to that member): in their private chat with the bot, or
   * shown to them only, in place.
   */
  dm?: ToMember | ToMember[];
  /** Members who received nothing in their private chat with the bot. */
  noDmTo?: string | string[];
  /** A short notice answering a member's button press. */
  toast?: ToMember & { alert?: boolean };
  /** A question the bot asked a member, expecting their answer. */
  question?: ToMember;
  /** A file the bot sent privately to a member (in their private chat, or in place to them only). */
  document?: {
    to: string;
    filename?: RegExp;
    /** The first line, exactly. */
    header: string;
    /** Each pattern matches one data row, in order; no other rows. */
    rows?: RegExp[];
    /** Each pattern matches somewhere in the whole file (a JSON file's values). */
    contains?: Said[];
  };
  noDocument?: boolean;
  /** Group buys open in the group (from the database). */
  openBuys?: number;
  /** Group buys ever created in the group, whatever their state. */
  buysCreated?: number;
  /** Check-ins recorded (from the database). */
  checkIns?: number;
  /** Every share in the group, oldest first (from the database): who shared, the photo kept, and its card. */
  shares?: { by: string; photo: string | null; card?: number }[];
  /** Every like and unlike recorded, oldest first: what happened and by which means. */
  likeEvents?: ['like' | 'unlike', 'button' | 'reaction'][];
  /**
   * Point ledger entries, oldest first, exactly: of one member (`member`) or everyone, those whose reason starts with
   * `reason` (or all). Each entry its amount, and where given its key, who it is for, and the admin who adjusted it.
   */
  points?: { member?: string; reason?: string; entries: { amount: number; key?: string; member?: string; by?: string }[] };
  /**
   * A member's review (from the database): rating, its media (exactly the photos they sent, by name, in order),
   * consent, helpful votes and its card.
   */
  review?: { by: string; rating: number; photos?: string[]; consent?: boolean; helpfulVotes?: number; card?: number };
  /** Whether a member has stopped review requests. */
  reviewsStopped?: { member: string; stopped: boolean };
}

/** Any step may hold only on platforms with some traits (skipped elsewhere). */
export type Step = (ActStep | ClockStep | { expect: Expectation }) & { only?: Partial<PlatformTraits> };

export interface Scenario {
  name: string;
  /** Keys are how steps name members (`as: 'bob'`). */
  members: Record<string, MemberSpec>;
  /**
   * A known core bug this scenario shows, with where it is: runners mark the scenario as expected to fail until the
   * bug is fixed (and then fail, so the mark is removed).
   */
  knownBug?: string;
  /** The languages to play it in; default both. */
  languages?: Lang[];
  /** Where the clock stands when it starts; default 2026-03-10 10:00 in Shanghai (a Tuesday). */
  startsAt?: Date;
  /** How long one play may take (default: the suite's test timeout); for scenarios of many acts. */
  timeoutMs?: number;
  steps: Step[];
}

/** The same meaning in both languages. */
export function said(en: RegExp, zh: RegExp): Said {
  return { en, zh };
}
