/**
 * The facts the group-buy feature states, for other features to react to (points for joining, a review request
 * and a share invitation after delivery). Group-buy itself knows none of them.
 */
import type { Language } from '../kernel/language.js';
import type { BuyRecord } from '../store.js';

/** A member took a place in a buy (directly, or moved in from the waitlist); not raised for the waitlist. */
export interface SignUpJoined {
  groupId: string;
  memberId: string;
  buyId: number;
  quantity: number;
  via: 'join' | 'waitlist';
}

/** A member left a buy (or its waitlist). */
export interface SignUpLeft {
  groupId: string;
  memberId: string;
  buyId: number;
  /** Whether they held a place (not only a waitlist spot). */
  wasActive: boolean;
}

/** A sign-up's delivery was marked and recorded as a purchase (once per sign-up). */
export interface PurchaseDelivered {
  buy: BuyRecord;
  memberId: string;
  signUpId: number;
  quantity: number;
  unitPriceCents: number;
  deliveredAt: Date;
  /** The language to write to the buyer in. */
  language: Language;
}

/**
 * A delivery mark was removed (marked by mistake): the sign-up's purchase record is gone. Features undo what the
 * delivery started (points paid for it, a review request not yet sent, the repurchase reminder it planned).
 */
export interface PurchaseUndelivered {
  buy: BuyRecord;
  memberId: string;
  signUpId: number;
  /** When the delivery being undone was marked. */
  deliveredAt: Date;
}

/**
 * A buy closed: formed, failed or cancelled. `members` are those holding a place at that moment (the waitlist
 * is not in it), so a feature can reward the members of a buy that formed without paying join-and-leave loops.
 */
export interface BuyClosed {
  buy: BuyRecord;
  status: 'formed' | 'failed' | 'cancelled';
  members: string[];
}

/** A buy was opened (its card is posted after the commit); `buy.productKey` names what it sells. */
export interface BuyOpened {
  buy: BuyRecord;
}

declare module '../kernel/domain-events.js' {
  interface DomainEvents {
    'buy.opened': BuyOpened;
    'buy.closed': BuyClosed;
    'signup.joined': SignUpJoined;
    'signup.left': SignUpLeft;
    'purchase.delivered': PurchaseDelivered;
    'purchase.undelivered': PurchaseUndelivered;
  }
}
