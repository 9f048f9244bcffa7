/**
 * A group's like settings (`Group.settings.likes`), validated with zod, and `/likeconfig`'s parser. Nothing here
 * can make a reward depend on what a share says, or pay money for likes: the schema has no such field.
 */
import { z } from 'zod';
import { UserError } from '../errors.js';
import { notOneOf, outOfRange } from '../kernel/setting-refusal.js';

const MIN_ENTRIES = { min: 2, max: 100, unit: 'count' } as const;

export const likeSettingsSchema = z
  .object({
    /** A round with fewer shares than this ends without rewards or warnings (like-for-like needs a crowd). */
    minEntries: z.number().int().min(MIN_ENTRIES.min).max(MIN_ENTRIES.max).default(3),
    /**
     * Whether like tasks may hand out unlock codes the admin provides. Off under a strict compliance profile:
     * SAMR Order 91 Art. 9(5) forbids coupons that lure users into likes.
     */
    unlockCodes: z.boolean().default(true),
  })
  .strict();

export type LikeSettings = z.infer<typeof likeSettingsSchema>;

export const defaultLikeSettings: LikeSettings = likeSettingsSchema.parse({});

/** Active warnings that leave a member out of rounds until an admin lifts them (the issue fixes three). */
export const WARNINGS_TO_EXCLUDE = 3;

/** Reads stored settings; anything invalid falls back to the defaults. */
export function readLikeSettings(raw: unknown): LikeSettings {
  const parsed = likeSettingsSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : defaultLikeSettings;
}

export type LikeConfigChange = { kind: 'show' } | { kind: 'set'; patch: Partial<LikeSettings> };

/** Parses `/likeconfig`: `show`, `minentries 4` (`最少 4`), `codes on|off` (`兑换码 开|关`). */
export function parseLikeConfig(args: string): LikeConfigChange {
  const [rawKey, ...rest] = args.trim().split(/\s+/).filter(Boolean);
  const key = rawKey?.toLowerCase();
  const value = rest.join(' ').toLowerCase();
  if (!key || key === 'show' || key === '查看') return { kind: 'show' };
  if (key === 'minentries' || key === 'min' || key === '最少') {
    const n = /^\d+$/.test(value) ? Number(value) : NaN;
    const parsed = likeSettingsSchema.shape.minEntries.safeParse(n);
    if (!parsed.success) throw outOfRange({ typed: rawKey }, value, MIN_ENTRIES);
    return { kind: 'set', patch: { minEntries: parsed.data } };
  }
  if (key === 'codes' || key === '兑换码') {
    if (/^(on|yes|开|是)$/.test(value)) return { kind: 'set', patch: { unlockCodes: true } };
    if (/^(off|no|关|否)$/.test(value)) return { kind: 'set', patch: { unlockCodes: false } };
    throw notOneOf({ typed: rawKey }, value, ['on', 'off']);
  }
  throw new UserError('likes.config_usage');
}
