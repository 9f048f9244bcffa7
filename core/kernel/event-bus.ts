import type { UseCaseEnv } from '../context.js';
import type { DomainEventName, DomainEvents, EventPublisher } from './domain-events.js';

/** What a feature does when an event is raised; runs inside the raising transaction. */
export type Subscriber<K extends DomainEventName> = (env: UseCaseEnv, event: DomainEvents[K]) => Promise<void> | void;

/** A feature's subscriptions by event name. */
export type Subscriptions = { [K in DomainEventName]?: Subscriber<K> };

/** Delivers each raised event to the subscribers of the registered features, in registry order. */
export class EventBus implements EventPublisher {
  private readonly subscribers = new Map<string, Subscriber<never>[]>();

  constructor(all: readonly (Subscriptions | undefined)[]) {
    for (const subscriptions of all) {
      for (const [name, subscriber] of Object.entries(subscriptions ?? {})) {
        if (!subscriber) continue;
        const list = this.subscribers.get(name) ?? [];
        list.push(subscriber as Subscriber<never>);
        this.subscribers.set(name, list);
      }
    }
  }

  async publish<K extends DomainEventName>(env: { events?: EventPublisher }, name: K, event: DomainEvents[K]): Promise<void> {
    for (const subscriber of this.subscribers.get(name) ?? []) await (subscriber as unknown as Subscriber<K>)(env as UseCaseEnv, event);
  }
}
