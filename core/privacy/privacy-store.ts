/**
 * Members' data rights on the store (prisma/privacy-store.ts): everything held about one member, and erasing what is
 * personal while their orders, points and likes stay under an anonymous id. The data layer knows the tables; the
 * core sees rows by table name and what an erasure changed.
 */

/** Every row that refers to one member, by table name, oldest first. Dates as ISO strings, other members masked. */
export interface MemberData {
  memberId: string;
  tables: Record<string, Record<string, unknown>[]>;
}

/** What an erasure did. */
export interface ErasureResult {
  /** The id the member's remaining rows now carry (`anon:7`). */
  anonymousId: string;
  /** The groups the member was in: each gets an audit entry. */
  groupIds: string[];
  /**
   * The bot's posted messages that showed the member, as they were before the erasure: buy cards listing them, like
   * round lists with their entry, their share cards and their review cards. The core edits them after the erasure.
   */
  posted: {
    buyIds: number[];
    roundIds: number[];
    /** `photo`: the card is a photo with a caption (edited as a caption, once; then let go). */
    shares: { id: number; chatId: string; messageId: string; photo: boolean }[];
    reviews: { id: number; buyId: number; groupId: string; chatId: string; messageId: string }[];
  };
}

export interface PrivacyStore {
  /**
   * Every row of every table that refers to the member (their member record, memberships, sign-ups, purchases,
   * ledger, badges, check-ins, shares, likes, reviews, reminders, dialogues, moderation flags...). Ids of other
   * members in those rows are replaced by `OTHER_MEMBER`: one person's access request does not disclose another's.
   */
  memberData(memberId: string): Promise<MemberData>;
  /**
   * Erases the member's personal data in one go: the member record is re-keyed to a fresh anonymous id with no
   * name or username, every row referring to them follows it, texts and media of their reviews, shares and notes
   * are removed, private-message plans and logs are deleted. Counts, sums and other members' rows are unchanged.
   * Returns null when there is no such member.
   */
  forgetMember(memberId: string, input: { at: Date; requestedBy: 'self' | 'admin'; actorId: string | null }): Promise<ErasureResult | null>;
}

/** What stands for another member's id in a member's data (their access request is not another's). */
export const OTHER_MEMBER = 'another member';

/** What stands for a secret (a session's token hash or CSRF token) in a member's data: held, not shown. */
export const SECRET_VALUE = '(secret, not shown)';

/** The platform prefix of anonymous ids (`anon:7`): no adapter sends to it. */
export const ANONYMOUS_PLATFORM = 'anon';

/** Whether an id is an erased member's anonymous id. */
export function isAnonymousId(id: string): boolean {
  return id.startsWith(`${ANONYMOUS_PLATFORM}:`);
}
