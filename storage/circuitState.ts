/**
 * A circuit breaker's state: the worker's breakers are in one of these, and its registration
 * shows them. Here, where both the actors that hold breakers and the registry that reads
 * registrations may import it.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';
