// capabilities.js — what the signed-in user's role allows, as the server lists it in
// `capabilities` of /api/v1/me (docs/api.md). Views ask here instead of naming roles; each
// entry, project, task, client and tag carries its own `can` for what the caller may do with it.

/**
 * Whether the signed-in user holds a capability.
 *
 * @param {{capabilities?:string[]}|null} me the signed-in user, as /api/v1/me answered
 * @param {string} name e.g. "track_time", "manage_projects", "manage_users"
 * @returns {boolean} true when the server listed it
 */
export function has(me, name) {
  return Boolean(me && Array.isArray(me.capabilities) && me.capabilities.includes(name));
}
