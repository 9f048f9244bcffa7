/**
 * A group's stored settings section, validated once per content instead of at every read: an event reads its
 * group's points rules several times (/checkin: the streak bonus, each award, each badge check), and every event
 * of the group reads the same stored JSON again. The result is frozen, since all readers share it.
 */

/** How many different stored sections are kept per reader (the groups that changed their settings, at most). */
const KEPT = 1000;

/**
 * Wraps `read` (validation of a stored section) so that the same content is validated once: by the object's
 * identity (the reads of one transaction get the same object) and by its JSON text (the next event's read is a new
 * object with the same text). Absent sections and non-objects go straight to `read`.
 */
export function validatedOnce<T extends object>(read: (raw: unknown) => T): (raw: unknown) => T {
  const byObject = new WeakMap<object, T>();
  const byText = new Map<string, T>();
  return (raw) => {
    if (typeof raw !== 'object' || raw === null) return read(raw);
    const seen = byObject.get(raw);
    if (seen) return seen;
    const text = JSON.stringify(raw);
    let result = byText.get(text);
    if (result) byText.delete(text); // kept as the most recent (a Map iterates in insertion order)
    else result = deepFreeze(read(raw));
    byText.set(text, result);
    if (byText.size > KEPT) byText.delete(byText.keys().next().value!);
    byObject.set(raw, result);
    return result;
  };
}

/** Freezes a value and everything in it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
