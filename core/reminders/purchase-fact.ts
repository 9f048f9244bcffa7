/** The predictors' input types, apart so that every model file can use them without importing predict.ts. */

/** One purchase as the predictors see it. */
export interface PurchaseFact {
  memberId: string;
  /** The product key (e.g. `milk-900g`); purchases without one are only counted for churn. */
  product?: string;
  at: Date;
  /** Units bought (default 1): two cans last about twice as long as one. */
  quantity?: number;
  amount?: number;
  /**
   * `buy`: a purchase through a group buy; `elsewhere`: the member answered a reminder with "already bought" (it
   * resets the clock like a purchase of `quantity` units, by default the member's usual quantity of the product;
   * it teaches no interval, since when they really bought is unknown).
   */
  source?: 'buy' | 'elsewhere';
}

/** What admins told the bot about a product. */
export interface ProductFacts {
  key: string;
  /** Days one unit lasts, as an admin set it (`/product <key> lasts 14d`). */
  unitDays?: number;
  /** False for durables (a rice cooker): never predicted, never reminded. */
  consumable: boolean;
}
