// capabilities.js — what the signed-in user's role allows, as the server lists it in
// `capabilities` of /api/v1/me (docs/api.md). Views ask here instead of naming roles; each
// entry, project, task, client and tag carries its own `can` for what the caller may do with it.
// `has` lives in api.js, beside the /me call, so that the login page loads one module less.

export { has } from './api.js';
