// api-compliance.js — the endpoints of compliance (security events, legal holds, retention) and
// privacy requests (docs/api.md "Compliance", "Privacy"): the admin, auditor and "My account"
// pages that use them load this module; every other page keeps to api.js, through whose
// `request` these go.

import { request } from './api.js';

const v1 = '/api/v1';
const id = (value) => encodeURIComponent(value);

// ---- Compliance (docs/api.md "Compliance: security events, legal holds, retention") ----

/**
 * @param {{user_id?:string, kind?:string, ip?:string, from?:string, to?:string, cursor?:string, limit?:number}} query
 *   filters (kinds comma-separated, dates YYYY-MM-DD in the caller's zone) and paging
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{items:Object[], next_cursor:string|null}>} a page of SecurityEventDto, newest first
 */
export const listSecurityEvents = (query, signal) => request('GET', `${v1}/security-events`, { query, signal });

/** @param {AbortSignal} [signal] @returns {Promise<{items:string[]}>} every security event kind */
export const listSecurityEventKinds = (signal) => request('GET', `${v1}/security-events/kinds`, { signal });

/** @param {AbortSignal} [signal] @returns {Promise<{items:Object[]}>} every HoldDto, newest first */
export const listHolds = (signal) => request('GET', `${v1}/holds`, { signal });

/** @param {{kind:string, target?:string, reason:string, ends_at?:string}} body the hold @returns {Promise<Object>} the new HoldDto */
export const placeHold = (body) => request('POST', `${v1}/holds`, { body });

/** @param {string} holdId hold id @param {{reason?:string}} body why @returns {Promise<Object>} the released HoldDto */
export const releaseHold = (holdId, body) => request('POST', `${v1}/holds/${id(holdId)}/release`, { body });

/** @param {AbortSignal} [signal] @returns {Promise<Object>} RetentionDto: each rule and what a run would remove now */
export const getRetention = (signal) => request('GET', `${v1}/retention`, { signal });

/** @param {{dry_run?:boolean}} body count only, or remove @returns {Promise<Object>} RetentionDto of what was (or would be) removed */
export const runRetention = (body) => request('POST', `${v1}/retention/run`, { body });

/** @param {string} category @param {string|null} rule null returns it to the config's @returns {Promise<Object>} RetentionDto */
export const setRetentionRule = (category, rule) => request('PUT', `${v1}/retention/rules/${encodeURIComponent(category)}`, { body: { rule } });

// ---- Privacy requests (docs/api.md "Privacy"; admin guide "Privacy requests") ----

/**
 * @param {{open?:boolean}} query open requests only
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{items:Object[], law:string, today:string}>} the register (PrivacyRequest, each with urgency), newest first
 */
export const listPrivacyRequests = (query, signal) => request('GET', `${v1}/privacy/requests`, { query, signal });

/** @param {{kind:string, subject?:string, user?:string, received_on?:string, verification?:string, details?:string}} body the request @returns {Promise<Object>} the new PrivacyRequest */
export const createPrivacyRequest = (body) => request('POST', `${v1}/privacy/requests`, { body });

/** @param {string} requestId request id @param {AbortSignal} [signal] abort signal @returns {Promise<Object>} PrivacyRequest with its actions */
export const getPrivacyRequest = (requestId, signal) => request('GET', `${v1}/privacy/requests/${id(requestId)}`, { signal });

/** @param {string} requestId request id @param {{reason:string}} body why @returns {Promise<Object>} the extended PrivacyRequest */
export const extendPrivacyRequest = (requestId, body) => request('POST', `${v1}/privacy/requests/${id(requestId)}/extend`, { body });

/** @param {string} requestId request id @returns {Promise<Object>} the PrivacyRequest with acknowledged_on */
export const acknowledgePrivacyRequest = (requestId) => request('POST', `${v1}/privacy/requests/${id(requestId)}/acknowledge`);

/** @param {string} requestId request id @param {{status:string, note?:string}} body how it ends @returns {Promise<Object>} the closed PrivacyRequest */
export const closePrivacyRequest = (requestId, body) => request('POST', `${v1}/privacy/requests/${id(requestId)}/close`, { body });

/**
 * The URL of a person's export ZIP (for an `<a download>`: the session cookie goes along).
 *
 * @param {string} userId the person
 * @param {string} [requestId] the request the export answers (recorded on it)
 * @returns {string} the URL
 */
export const privacyExportUrl = (userId, requestId) => `${v1}/privacy/users/${id(userId)}/export${requestId ? `?request_id=${id(requestId)}` : ''}`;

/** The URL of the signed-in person's own export ZIP. */
export const MY_EXPORT_URL = `${v1}/me/privacy/export`;

/** @param {string} userId the person @param {{name?:string, email?:string, time_zone?:string, request_id?:string}} body new values @returns {Promise<Object>} UserDto */
export const correctPerson = (userId, body) => request('POST', `${v1}/privacy/users/${id(userId)}/correct`, { body });

/** @param {string} userId the person @param {{request_id?:string}} body the request @returns {Promise<Object>} what the erasure did (counts) */
export const erasePerson = (userId, body) => request('POST', `${v1}/privacy/users/${id(userId)}/erase`, { body });

/** @param {string} userId the person @param {{request_id?:string}} body the request @returns {Promise<{restricted:boolean, objections:string[]}>} flags */
export const restrictPerson = (userId, body) => request('POST', `${v1}/privacy/users/${id(userId)}/restrict`, { body });

/** @param {string} userId the person @param {{request_id?:string}} body the request @returns {Promise<{restricted:boolean, objections:string[]}>} flags */
export const liftRestriction = (userId, body) => request('POST', `${v1}/privacy/users/${id(userId)}/lift`, { body });

/** @param {string} userId the person @param {{purpose:string, request_id?:string}} body the objection @returns {Promise<{restricted:boolean, objections:string[]}>} flags */
export const recordObjection = (userId, body) => request('POST', `${v1}/privacy/users/${id(userId)}/object`, { body });

/** @param {string} userId the person @param {AbortSignal} [signal] abort signal @returns {Promise<{restricted:boolean, objections:string[]}>} flags */
export const getPrivacyFlags = (userId, signal) => request('GET', `${v1}/privacy/users/${id(userId)}/flags`, { signal });

/** @param {string} userId user id @param {AbortSignal} [signal] abort signal @returns {Promise<Object>} UserDto */
export const getUser = (userId, signal) => request('GET', `${v1}/users/${id(userId)}`, { signal });

/** @param {AbortSignal} [signal] @returns {Promise<{items:Object[]}>} the privacy requests about me, newest first */
export const listMyPrivacyRequests = (signal) => request('GET', `${v1}/me/privacy/requests`, { signal });

/** @param {{kind:string, details?:string}} body what I ask for @returns {Promise<Object>} the new PrivacyRequest (409 privacy.request_pending) */
export const createMyPrivacyRequest = (body) => request('POST', `${v1}/me/privacy/requests`, { body });

// ---- Breach register (docs/api.md "Breach register"; admin guide "Personal-data breaches") ----

/** @param {AbortSignal} [signal] @returns {Promise<{items:Object[], now:string}>} every IncidentSummaryDto, newest first */
export const listIncidents = (signal) => request('GET', `${v1}/incidents`, { signal });

/** @param {{title:string, description?:string, discovered_at?:string, occurred_from?:string, occurred_to?:string}} body what happened @returns {Promise<Object>} the new IncidentDto */
export const openIncident = (body) => request('POST', `${v1}/incidents`, { body });

/** @param {string} incidentId @param {AbortSignal} [signal] @returns {Promise<Object>} IncidentDto (recorded as a read of its people's data) */
export const getIncident = (incidentId, signal) => request('GET', `${v1}/incidents/${id(incidentId)}`, { signal });

/** @param {string} incidentId @param {Object} body changed fields and the `version` read @returns {Promise<Object>} IncidentDto (409 incident.changed) */
export const updateIncident = (incidentId, body) => request('PATCH', `${v1}/incidents/${id(incidentId)}`, { body });

/** @param {string} incidentId @param {{notified_at?:string, reference?:string, delay_reason?:string}} body @returns {Promise<Object>} IncidentDto */
export const recordAuthority = (incidentId, body) => request('POST', `${v1}/incidents/${id(incidentId)}/authority`, { body });

/** @param {string} incidentId @param {{note?:string}} body @returns {Promise<Object>} IncidentDto */
export const closeIncident = (incidentId, body) => request('POST', `${v1}/incidents/${id(incidentId)}/close`, { body });

/** @param {string} incidentId @param {AbortSignal} [signal] @returns {Promise<Object>} ProposalDto: people read in the window, reads of everyone's data */
export const proposedPeople = (incidentId, signal) => request('GET', `${v1}/incidents/${id(incidentId)}/proposed-people`, { signal });

/** @param {string} incidentId @param {{version:number, user_ids:string[]}} body the whole list @returns {Promise<Object>} IncidentDto */
export const setAffected = (incidentId, body) => request('PUT', `${v1}/incidents/${id(incidentId)}/affected`, { body });

/** @param {string} incidentId @param {AbortSignal} [signal] @returns {Promise<Object>} NoticeDraftDto */
export const notificationDraft = (incidentId, signal) => request('GET', `${v1}/incidents/${id(incidentId)}/notification-draft`, { signal });

/** @param {string} incidentId @param {{subject:string, body:string, resend?:boolean}} body @returns {Promise<Object>} SentDto */
export const notifyAffected = (incidentId, body) => request('POST', `${v1}/incidents/${id(incidentId)}/notifications`, { body });

/** @param {string} incidentId @returns {string} the path of the report as a Markdown file */
export const incidentReportUrl = (incidentId) => `${v1}/incidents/${id(incidentId)}/report/text`;
