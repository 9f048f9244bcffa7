/**
 * What the core says. Handlers return replies; each adapter's messenger renders them as platform messages.
 * Text is plain (no markup), already in the reader's language.
 */

export interface Button {
  /** Visible label. */
  label: string;
  /** Action payload handed back in a ButtonEvent; at most 64 bytes (Telegram's callback_data limit). */
  action: string;
  style?: 'primary' | 'secondary' | 'danger' | 'success';
  /**
   * Opens a private chat with this member instead of pressing (Telegram: a link button to the user). Platforms
   * that cannot link to a member send `action` as a normal press.
   */
  contact?: { memberId: string; username?: string };
}

/** Where a message goes: a chat, or privately to a member. */
export type Destination = { chatId: string } | { memberId: string };

export interface MessageReply {
  kind: 'message';
  to: Destination;
  text: string;
  buttons?: Button[][];
  /**
   * A live card: when set, the messenger returns the sent message's id and the core remembers where the card
   * lives, so later changes edit it in place. Format `<kind>:<id>`, e.g. `buy:12`.
   */
  card?: string;
  /** Ask the client to answer by replying (Telegram force_reply), so the answer reaches a bot in privacy mode. */
  expectAnswer?: boolean;
  /** Only the actor sees it where the platform can do that (Discord ephemeral replies). */
  private?: boolean;
  /** A photo (the platform's file id) shown with the text as its caption, e.g. a member's share. */
  photo?: { fileId: string };
}

export interface EditReply {
  kind: 'edit';
  chatId: string;
  messageId: string;
  text: string;
  buttons?: Button[][];
  /** The message was sent with this photo: its text is a caption (Telegram editMessageCaption). */
  photo?: { fileId: string };
  /**
   * `photo` is new: the message shows it instead of the one it was sent with (Telegram editMessageMedia; Discord a
   * new upload in place of the old), e.g. a buy's product photo replaced with /editbuy photo.
   */
  replacePhoto?: boolean;
  /**
   * The message only showed a photo that is now withdrawn (a buy's product photo above its card, after
   * `/editbuy photo off`): it is deleted. Where the platform refuses (Telegram: a message older than 48 hours), the
   * photo is taken off if the platform can (Discord), else the text (which says the photo was removed) replaces its
   * caption.
   */
  removePhoto?: boolean;
}

export interface DocumentReply {
  kind: 'document';
  to: Destination;
  filename: string;
  mimeType: string;
  /** Text (CSV) or the file's bytes (XLSX). */
  content: string | Uint8Array;
  caption?: string;
}

/**
 * A picture the core drew (PNG bytes, e.g. a fake-like case's timeline), sent as a photo with its text and buttons.
 * Where a platform's caption is too short for the text (Telegram: 1024 characters), the text and the buttons follow
 * in a message of their own right after the picture.
 */
export interface PhotoReply {
  kind: 'photo';
  to: Destination;
  /** The file name it is uploaded as, e.g. `case-3.png`. */
  filename: string;
  /** The image's bytes (PNG). */
  data: Uint8Array;
  text: string;
  buttons?: Button[][];
}

/** A short notice answering a button press (Telegram answerCallbackQuery, Discord ephemeral follow-up). */
export interface ToastReply {
  kind: 'toast';
  text: string;
  alert?: boolean;
}

/** Pins a message the bot sent (Telegram pinChatMessage), e.g. the month's best reviews. */
export interface PinReply {
  kind: 'pin';
  chatId: string;
  messageId: string;
}

export type Reply = MessageReply | EditReply | DocumentReply | PhotoReply | ToastReply | PinReply;

/** Where a delivered message landed, so it can be edited later. */
export interface DeliveredRef {
  chatId: string;
  messageId: string;
  /**
   * The platform showed a private message in place (e.g. a Discord ephemeral reply), so the chat needs no
   * "sent to you privately" pointer.
   */
  shownInPlace?: boolean;
}
