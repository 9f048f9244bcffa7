/**
 * The log of private messages sent to members for a purpose (review requests and reminders, repurchase
 * reminders), shared by the features that send them so one weekly cap counts them all. Reached as `tx.messages`
 * (implemented in prisma/message-store.ts).
 */
export interface MessageStore {
  /** Times of private messages of these kinds the member received after `since`, oldest first. */
  sentSince(memberId: string, kinds: readonly string[], since: Date): Promise<Date[]>;
  record(message: { memberId: string; groupId: string | null; kind: string; at: Date }): Promise<void>;
}
