import type { Language } from '../kernel/language.js';
import type { UseCaseEnv } from '../context.js';
import { t } from '../i18n/translate.js';
import type { BuyRecord } from '../store.js';

/**
 * Right after delivery, tells a buyer privately how to share the buy with the group (`/share #<id> ...` with a
 * photo). An invitation only: nothing is posted for them, and no reward depends on what they would write.
 */
export function offerShare(env: UseCaseEnv, buy: BuyRecord, memberId: string, lang: Language): void {
  env.out.push({ kind: 'message', to: { memberId }, text: t(lang, 'likes.share_offer_dm', { id: buy.id, title: buy.title }) });
}
