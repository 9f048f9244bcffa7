-- Update keys now name the bot that received the update (tg:bot<id>:<update_id>, dc:app<id>:..., see ADR 016) and
-- are kept 48 hours. Keys written before were never pruned: those past the window are dropped here, the recent ones
-- are left to the hourly prune (they no longer match any new key, so they only age out).
DELETE FROM "ProcessedUpdate" WHERE "processedAt" < now() - interval '48 hours';
