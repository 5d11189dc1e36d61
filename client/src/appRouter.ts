/**
 * The API's router type, as the client sees it. In this repository it is the server's own
 * type; the package build replaces the server's context by an empty one and bundles the rest
 * into one declaration file, so installing the client needs none of the server's packages.
 */
export type { AppRouter } from '../../router/routers/_app.js';
