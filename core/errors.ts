import type { MessageKey, MessageParams } from './i18n/translate.js';

/**
 * A refusal the user should read: bad input, missing permission, wrong state. It carries a message id and
 * parameters, turned into words in the reader's language at the edge. Throwing it inside a use case rolls back
 * the transaction, so bad input changes nothing.
 */
export class UserError<K extends MessageKey = MessageKey> extends Error {
  readonly key: K;
  readonly params: MessageParams<K>;
  constructor(key: K, ...params: MessageParams<K> extends undefined ? [] : [MessageParams<K>]) {
    super(key);
    this.name = 'UserError';
    this.key = key;
    this.params = params[0] as MessageParams<K>;
  }
}
