/**
 * Aspects by keyword: a review is cut into clauses (at punctuation and at contrast words such as 但是 / but), each
 * clause is searched for the aspect keywords below, and the aspect's sentiment is the model's reading of the
 * clauses that mention it. So "苹果很新鲜，但是快递太慢了" gives freshness positive and logistics negative.
 * The lists are meant to be read and extended; each entry is a plain substring (Chinese) or a whole word or
 * phrase (English).
 */
import type { Aspect, Sentiment } from '../../core/llm/review-tags.js';
import type { ModelLanguage } from './features.js';

type Lexicon = Record<Aspect, readonly string[]>;

export const ZH_ASPECT_KEYWORDS: Lexicon = {
  quality: ['质量', '品质', '做工', '材质', '用料', '质感', '耐用', '结实', '正品', '假货', '瑕疵', '手感', '掉色', '起球', '做工粗糙'],
  price: ['价格', '价钱', '便宜', '贵', '性价比', '划算', '实惠', '优惠', '物美价廉', '团购价', '价位', '不值'],
  logistics: ['快递', '物流', '发货', '送货', '配送', '到货', '送达', '顺丰', '运输', '派送', '自提', '取货', '送到'],
  service: ['服务', '客服', '态度', '售后', '团长', '卖家', '商家', '店家', '退货', '退款', '换货', '前台', '回复'],
  packaging: ['包装', '盒子', '箱子', '包裹', '泡沫', '密封', '封口', '袋子', '纸箱'],
  taste_effect: ['味道', '口感', '好吃', '难吃', '口味', '香甜', '甜', '太酸', '很酸', '苦', '咸', '效果', '好用', '难用', '滋润', '保湿', '过敏', '去屑', '香味', '气味'],
  freshness: ['新鲜', '腐烂', '烂了', '烂的', '坏了', '变质', '过期', '保质期', '生产日期', '发霉', '霉', '蔫'],
  size_fit: ['尺码', '尺寸', '大小', '码数', '合身', '偏大', '偏小', '太大', '太小', '个头', '分量', '份量', '宽松', '太紧', '斤两'],
  other: ['外观', '颜色', '款式', '样子', '外形', '设计', '功能', '屏幕', '电池', '声音', '噪音', '速度'],
};

export const EN_ASPECT_KEYWORDS: Lexicon = {
  quality: ['quality', 'well made', 'well-made', 'build', 'material', 'materials', 'durable', 'sturdy', 'flimsy', 'cheaply made', 'broke', 'broken', 'defective', 'genuine', 'fake', 'craftsmanship'],
  price: ['price', 'prices', 'priced', 'cheap', 'expensive', 'value', 'worth', 'cost', 'costs', 'overpriced', 'bargain', 'deal', 'money', 'pricey', 'affordable'],
  logistics: ['shipping', 'delivery', 'delivered', 'arrived', 'arrival', 'courier', 'shipped', 'pickup', 'pick-up', 'pick up', 'on time'],
  service: ['service', 'customer service', 'seller', 'staff', 'support', 'refund', 'return', 'returned', 'replied', 'response', 'rude', 'helpful', 'organizer', 'organiser', 'waiter', 'waitress'],
  packaging: ['packaging', 'package', 'packed', 'box', 'wrapping', 'wrapped', 'sealed', 'seal'],
  taste_effect: ['taste', 'tasty', 'tastes', 'tasted', 'flavor', 'flavour', 'flavors', 'delicious', 'sweet', 'sour', 'bitter', 'salty', 'bland', 'yummy', 'effect', 'effective', 'results', 'moisturizing', 'smell', 'smells', 'scent'],
  freshness: ['fresh', 'freshness', 'rotten', 'spoiled', 'spoilt', 'expired', 'expiry', 'expiration', 'stale', 'moldy', 'mouldy', 'ripe', 'bruised'],
  size_fit: ['size', 'sizes', 'sizing', 'fit', 'fits', 'too small', 'too big', 'too large', 'runs small', 'runs large', 'tight', 'loose', 'portion', 'portions'],
  other: ['design', 'color', 'colour', 'looks', 'appearance', 'style', 'screen', 'battery', 'sound', 'noise', 'feature', 'features'],
};

const ASPECT_ORDER = Object.keys(ZH_ASPECT_KEYWORDS) as Aspect[];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** One regex per aspect: whole-word English phrases; Chinese keywords as substrings. */
const EN_PATTERNS = ASPECT_ORDER.map(
  (aspect) => [aspect, new RegExp(`(?<![\\p{L}\\p{N}])(?:${EN_ASPECT_KEYWORDS[aspect].map(escapeRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'iu')] as const,
);
const ZH_PATTERNS = ASPECT_ORDER.map(
  (aspect) => [aspect, new RegExp(ZH_ASPECT_KEYWORDS[aspect].map(escapeRegExp).join('|'), 'i')] as const,
);

/** Clause boundaries: sentence punctuation, line breaks, and contrast words that start a new judgement. */
const CLAUSE_SPLIT = /[,，.。!！?？;；、\n~～…]+|\s+(?:but|however|although|though|except)\s+|但是|不过|可是|然而|就是|只是|但/iu;

export function splitClauses(text: string): string[] {
  return text
    .split(CLAUSE_SPLIT)
    .map((c) => c.trim())
    .filter((c) => c.length > 0);
}

export interface AspectMention {
  aspect: Aspect;
  sentiment: Sentiment;
}

/**
 * Aspects mentioned in `text`, in order of first mention, each with a sentiment from `judge`, which reads the
 * clauses mentioning the aspect joined together (so two clauses about one aspect give one judgement).
 */
export function findAspects(text: string, language: ModelLanguage, judge: (clauses: string) => Sentiment): AspectMention[] {
  const patterns = language === 'zh' ? ZH_PATTERNS : EN_PATTERNS;
  const clausesByAspect = new Map<Aspect, string[]>();
  for (const clause of splitClauses(text)) {
    for (const [aspect, pattern] of patterns) {
      if (pattern.test(clause)) {
        const list = clausesByAspect.get(aspect) ?? [];
        list.push(clause);
        clausesByAspect.set(aspect, list);
      }
    }
  }
  return [...clausesByAspect].map(([aspect, clauses]) => ({ aspect, sentiment: judge(clauses.join(language === 'zh' ? '，' : ', ')) }));
}
