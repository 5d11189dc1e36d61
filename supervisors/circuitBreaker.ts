/** The pure breaker state machine is shared with the API's analysis threads, so it lives in pipeline/. */
export * from '../pipeline/circuitBreaker.js';
