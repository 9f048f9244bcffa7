/**
 * Domain events: facts one feature states inside the transaction that made them true, so other features can
 * react in the same transaction (pay points for a delivery, ask for a review) without the first feature knowing
 * them. A subscriber's writes commit or roll back with the event that raised it.
 *
 * The payloads are declared by the features that raise them, by adding to `DomainEvents` from their own folder
 * (TypeScript declaration merging), so the kernel knows no feature's events:
 *
 *   declare module '../kernel/domain-events.js' {
 *     interface DomainEvents { 'purchase.delivered': PurchaseDelivered }
 *   }
 */
/** Every domain event by name; each feature adds its own (see the module comment). */
export interface DomainEvents {
  /** A member was seen joining a group (the platform's join notice). Raised by the kernel. */
  'member.joined': { groupId: string; memberId: string; at: Date };
  /** A member was seen leaving a group (the platform's leave notice). Raised by the kernel. */
  'member.left': { groupId: string; memberId: string; at: Date };
}

export type DomainEventName = keyof DomainEvents;

/** Hands a raised event to the subscribers (the kernel's EventBus). */
export interface EventPublisher {
  publish<K extends DomainEventName>(env: { events?: EventPublisher }, name: K, event: DomainEvents[K]): Promise<void>;
}

/**
 * Raises a domain event inside the current transaction. Environments built by the kernel always carry the bus;
 * one built by hand (a unit test of one use case) has none, and the event reaches no one.
 */
export async function emit<K extends DomainEventName>(env: { events?: EventPublisher }, name: K, event: DomainEvents[K]): Promise<void> {
  await env.events?.publish(env, name, event);
}
