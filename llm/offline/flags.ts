/**
 * Review flags by rule. Each rule is a short list of patterns that can be read and argued with; they aim at
 * clear cases (a flag a moderator would agree with), not at catching everything.
 */
import type { Flag } from '../../core/llm/review-tags.js';

const PERSONAL_DATA: readonly RegExp[] = [
  // Chinese mobile, optionally +86, optionally split 3-4-4.
  /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/,
  // Chinese landline 010-12345678 / 0755-1234567.
  /(?<!\d)0\d{2,3}-\d{7,8}(?!\d)/,
  // International / North American numbers: +44 20 7946 0958, (415) 555-0134, 415-555-0134.
  /\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,4}(?!\d)/,
  /(?<!\d)\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)/,
  // Email.
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/,
  // Chinese resident ID: 6-digit area, birth date 19xx/20xx-MM-DD, 3 digits, check digit.
  /(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)/,
  // Chinese street address: ...路/街/巷/弄 + number + 号, or building / unit / room numbers.
  /[\u4e00-\u9fa5]{1,10}(?:路|街|大道|巷|弄)\s*\d+\s*号/,
  /\d+\s*(?:栋|幢|号楼)\s*\d*\s*(?:单元)?\s*\d*\s*(?:室|号)?/,
  /\d+\s*单元\s*\d+/,
  // English street address: 221B Baker Street, 12 Main St.
  /\b\d{1,5}[a-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl)\b/,
  // Messaging handles given out in a review: 微信号 abc123 / 加我微信 / wechat: abc123.
  /(?:微信号?|vx|wx|wechat|whatsapp|telegram)\s*[:：]?\s*[A-Za-z][\w-]{5,19}/i,
];

const PROMPT_INJECTION: readonly RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\b.{0,20}\b(?:previous|prior|above|earlier|all|your|the)\b.{0,20}\b(?:instructions?|prompts?|rules|directions|guidelines)\b/i,
  /\byou are now\b/i,
  /\b(?:system|developer)\s+(?:prompt|message|instructions?)\b/i,
  /\b(?:act as|pretend (?:to be|you are))\b.{0,40}\b(?:ai|assistant|model|gpt|chatbot|system)\b/i,
  /\b(?:jailbreak|developer mode|DAN mode)\b/i,
  /\b(?:set|change|mark|classify|rate|tag)\b.{0,25}\b(?:sentiment|score|rating|this review)\b.{0,20}\b(?:to|as)\b.{0,15}\b(?:positive|negative|neutral|5 stars?|five stars?|1(?:\.0)?)\b/i,
  // Role tags of chat templates.
  /<\|?(?:im_start|im_end|system|assistant|user)\|?>|\[\/?INST\]|<<\/?SYS>>|<\/?system>/i,
  /^\s*(?:system|assistant)\s*[:：]/im,
  /(?:忽略|无视|忘记|忘掉|不要理会)[^，。！？,.!?]{0,3}(?:以上|之前|前面|上面|上述|所有|先前|你的)[^，。！？,.!?]{0,6}(?:指令|指示|提示|规则|要求|设定|命令)/,
  /(?:忽略|无视)(?:指令|指示|提示词)/,
  /你现在(?:是|扮演|作为)|扮演(?:一个)?(?:AI|助手|模型|系统)/i,
  /系统(?:提示|指令|消息)|提示词/,
  /把(?:这条|这个|本条)?(?:评价|评论)(?:标记|判定|评为|打分|归类)(?:为|成)/,
];

/** Fillers and praise words that carry no specifics; a review made only of these is generic praise. */
const ZH_GENERIC = [
  '此用户未填写评价内容', '系统默认好评', '默认好评', '五星好评', '5星好评', '好评如潮', '好评', '五星', '5星', '满分', '非常满意', '很满意', '满意',
  '非常好', '很好', '挺好', '真好', '好好', '不错', '很棒', '超棒', '真棒', '棒', '点赞', '赞', '给力', '推荐', '值得购买', '值得拥有', '值得',
  '好东西', '东西', '宝贝', '商品', '产品', '完美', '喜欢', '还会再来', '会回购', '回购', '谢谢', '感谢', '支持', '一如既往', '的', '了', '啊', '呀', '哦',
  '哈', '嗯', '非常', '很', '超级', '超', '真', '太', '特别', '好', '的的', '吧', '呢', '都', '也', '是', '还', '挺', '棒棒', '亲',
];
const EN_GENERIC = [
  'five stars', '5 stars', 'highly recommended', 'highly recommend', 'recommended', 'recommend', 'great product', 'good product', 'nice product',
  'love it', 'loved it', 'thank you', 'thanks', 'a+', '10/10', 'good', 'great', 'nice', 'excellent', 'perfect', 'awesome', 'amazing', 'wonderful',
  'fantastic', 'super', 'best', 'ever', 'love', 'like', 'satisfied', 'happy', 'product', 'item', 'stuff', 'it', 'this', 'is',
  'was', 'the', 'a', 'very', 'so', 'really', 'i', 'am', 'wow', 'all', 'good!', 'buy', 'seller', 'thing', 'and', 'yes', 'cool', 'fab',
];

const ZH_GENERIC_RE = new RegExp(ZH_GENERIC.sort((a, b) => b.length - a.length).join('|'), 'g');
const EN_GENERIC_SET = new Set(EN_GENERIC.filter((w) => !w.includes(' ')));
const EN_GENERIC_PHRASES = EN_GENERIC.filter((w) => w.includes(' '));

/** Longest review that can still be "generic": longer text almost always says something specific. */
const GENERIC_MAX_CHARS = 60;

export function isGenericPraise(text: string): boolean {
  const t = text.normalize('NFKC').toLowerCase().trim();
  if (!t || t.length > GENERIC_MAX_CHARS) return false;
  // Strip punctuation, symbols, emoji and spaces.
  const strip = (s: string) => s.replace(/[\p{P}\p{S}\s]/gu, '');
  const zhRest = strip(t.replace(ZH_GENERIC_RE, ''));
  if (!/[a-z]/.test(t)) return zhRest === '' && /\p{Script=Han}/u.test(t);
  let en = ` ${t.replace(/[^\p{L}\p{N}+/'\s]/gu, ' ')} `;
  const hadWords = en.trim().length > 0;
  for (const phrase of EN_GENERIC_PHRASES) en = en.split(` ${phrase} `).join(' ');
  const words = en.split(/\s+/).filter(Boolean);
  const rest = words.filter((w) => !EN_GENERIC_SET.has(w) && !(w.startsWith('good') || w.startsWith('great')) && !/^\p{Script=Han}+$/u.test(w));
  const hanRest = strip(words.filter((w) => /\p{Script=Han}/u.test(w)).join('').replace(ZH_GENERIC_RE, ''));
  return hadWords && rest.length === 0 && hanRest === '';
}

/** Clear spam and promotion: not about the purchase at all. Kept to patterns that rarely occur in a real review. */
const OFF_TOPIC: readonly RegExp[] = [
  /(?:兼职|刷单|日结|招聘|代理|加盟|赚钱|网赚|贷款|博彩|彩票|扫码领).{0,20}(?:加|联系|微信|vx|qq|私聊|扫码|日赚|月入)/i,
  /(?:日赚|月入)\s*\d+/,
  /\b(?:earn|make)\s+\$?\d+.{0,20}\b(?:a day|per day|daily|a week|from home)\b/i,
  /\b(?:work from home|click (?:here|the link)|check out my (?:channel|profile|page)|follow me on|subscribe to my)\b/i,
  /\b(?:crypto|bitcoin|forex)\b.{0,30}\b(?:invest|profit|signals?|returns?)\b/i,
  /\b(?:casino|betting|porn)\b/i,
];

const URL_ONLY = /^\s*(?:https?:\/\/|www\.)\S+\s*$/i;

export function detectFlags(text: string): Flag[] {
  const flags: Flag[] = [];
  if (isGenericPraise(text)) flags.push('generic_praise');
  if (URL_ONLY.test(text) || OFF_TOPIC.some((re) => re.test(text))) flags.push('off_topic');
  if (PERSONAL_DATA.some((re) => re.test(text))) flags.push('personal_data');
  if (PROMPT_INJECTION.some((re) => re.test(text))) flags.push('prompt_injection');
  return flags;
}
