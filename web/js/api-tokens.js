// api-tokens.js — personal API tokens and calendar subscriptions (docs/api.md "API tokens",
// "Calendar subscriptions"): only My account and the Users page load this module.

import { request } from './api.js';

const v1 = '/api/v1';
const id = (value) => encodeURIComponent(value);

/** @param {AbortSignal} [signal] @returns {Promise<{items:Object[]}>} one's TokenDto, newest first */
export const listMyTokens = (signal) => request('GET', `${v1}/me/tokens`, { signal });

/**
 * @param {{name:string, scopes:string[], expires_in_days?:number, expires_at?:string}} body the token
 * @returns {Promise<{secret:string, token:Object}>} the secret (shown once) and the TokenDto
 */
export const createToken = (body) => request('POST', `${v1}/me/tokens`, { body });

/** @param {string} tokenId token id @returns {Promise<Object>} the revoked TokenDto */
export const revokeToken = (tokenId) => request('DELETE', `${v1}/tokens/${id(tokenId)}`);

/** @param {AbortSignal} [signal] @returns {Promise<{items:Object[]}>} every TokenDto with its owner (admins) */
export const listAllTokens = (signal) => request('GET', `${v1}/tokens`, { signal });

/** @param {AbortSignal} [signal] @returns {Promise<{items:Object[]}>} one's FeedDto, newest first */
export const listMyFeeds = (signal) => request('GET', `${v1}/me/calendar-feeds`, { signal });

/**
 * @param {{name:string, project_id?:string}} body the subscription
 * @returns {Promise<{url:string, webcal_url:string, feed:Object}>} its URL (shown once) and FeedDto
 */
export const createFeed = (body) => request('POST', `${v1}/me/calendar-feeds`, { body });

/** @param {string} feedId subscription id @returns {Promise<Object>} the revoked FeedDto */
export const revokeFeed = (feedId) => request('DELETE', `${v1}/me/calendar-feeds/${id(feedId)}`);
