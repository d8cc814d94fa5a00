/** Change events out: subscribers, delivery (dispatcher), CloudEvents and signatures. See docs/events.md. */
export { startDispatcher, type Dispatcher, type DispatcherOptions } from './dispatcher';
export { toCloudEvent, sign, verifySignature, SIGNATURE_HEADER, TIMESTAMP_HEADER, type MdmCloudEvent } from './cloud-event';
export { addSubscriber, listEventSubscribers, removeSubscriber, setSubscriberPaused, OPERATOR, type SubscriberActor } from './subscriber.service';
export { replayDeliveries, discardDeadLetters, listDeadLetters, deliveryStates } from './delivery.repository';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';
