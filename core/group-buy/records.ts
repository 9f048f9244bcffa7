/** Group-buy's records: buys, sign-ups, and a member's sign-ups across groups. Other features may read them. */
import type { Language } from '../kernel/language.js';
import type { Tier } from './pricing.js';

/** A variant (规格) of a buy's product: its own unit price and stock. Named uniquely within its buy. */
export interface Variant {
  name: string;
  priceCents: number;
  stock: number;
}

export type BuyStatus = 'open' | 'formed' | 'failed' | 'cancelled';

export interface BuyRecord {
  id: number;
  groupId: string;
  chatId: string;
  title: string;
  /** The product it sells (`milk-900g`); null for buys opened before products were named. */
  productKey: string | null;
  unitPriceCents: number;
  minUnits: number;
  maxUnits: number;
  perMemberLimit: number | null;
  tiers: Tier[];
  pickup: string | null;
  /** What the admin wrote about the product. */
  description: string | null;
  /** The product's photo (a platform file id), shown with the card. */
  photoFileId: string | null;
  /** Variants in the order offered; empty for a buy with one price (tiers, min and max apply as before). */
  variants: Variant[];
  status: BuyStatus;
  endsAt: Date;
  createdById: string;
  createdAt: Date;
  closedAt: Date | null;
  closedReason: string | null;
  finalPriceCents: number | null;
  cardChatId: string | null;
  cardMessageId: string | null;
  /** Where the product's photo was posted (just above the card); null when none was, or before this was kept. */
  photoChatId: string | null;
  photoMessageId: string | null;
  /** When the one "closing soon" announcement went out (or was folded into another); null until then. */
  closingSoonSentAt: Date | null;
  /** When the one "only N left" announcement went out; null until then. */
  fewLeftSentAt: Date | null;
}

export type SignUpStatus = 'active' | 'waitlisted' | 'left';

export interface SignUpRecord {
  id: number;
  buyId: number;
  memberId: string;
  quantity: number;
  status: SignUpStatus;
  joinedAt: Date;
  waitlistedAt: Date | null;
  leftAt: Date | null;
  paidAt: Date | null;
  deliveredAt: Date | null;
  /** The variant taken (its name), for buys with variants. */
  variant: string | null;
  /** The member's note (备注), shown to them and in the admin's export, never on the public card. */
  note: string | null;
}

/** A sign-up with the member's names, for cards and lists. */
export interface SignUpView extends SignUpRecord {
  displayName: string;
  username: string | null;
  memberLanguage: Language | null;
}

/** What a new buy is made of: its record without what the database or later events fill in. */
export type NewBuyRecord = Omit<BuyRecord, 'id' | 'status' | 'closedAt' | 'closedReason' | 'finalPriceCents' | 'cardChatId' | 'cardMessageId' | 'photoChatId' | 'photoMessageId' | 'closingSoonSentAt' | 'fewLeftSentAt'>;

export interface MemberSignUp {
  signUp: SignUpRecord;
  buy: BuyRecord;
  groupTitle: string | null;
}
