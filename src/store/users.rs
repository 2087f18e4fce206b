//! Users: the `users` tree and its `users_by_email` index.

use super::stored::StoredUserRecord;
use super::{codec, conflict, get, keys, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::codes;
use crate::domain::user::{Email, User};
use crate::domain::UserId;

/// A user with the secret parts only the store and the password check see. Stored as
/// [`StoredUserRecord`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub user: User,
    /// argon2id PHC string; `None` until the user sets a password through a one-time link.
    pub password_hash: Option<String>,
    /// The e-mail notifications they turned off (`[email]`); all on by default.
    pub mail_prefs: crate::domain::mail::MailPrefs,
}

/// Decodes a `users` value.
pub(super) fn decode(k: &[u8], v: &[u8]) -> Result<UserRecord, StoreError> {
    codec::decode::<StoredUserRecord>(TreeId::Users, k, v).map(UserRecord::from)
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait UsersStore {
    fn user(&self, id: UserId) -> Result<Option<UserRecord>, StoreError>;

    fn user_by_email(&self, email: &Email) -> Result<Option<UserRecord>, StoreError>;

    /// Every user, in id order.
    fn all_users(&self) -> Result<Vec<User>, StoreError>;

    /// Users ordered by email, after `after` (exclusive), whose name or email contains `q`.
    /// Returns the page and the cursor for the next one.
    fn list_users(
        &self,
        after: Option<&str>,
        limit: usize,
        q: Option<&str>,
    ) -> Result<(Vec<User>, Option<String>), StoreError>;

    /// How many users satisfy `pred` (a full scan: for rare administrative checks).
    fn count_users_where(&self, pred: impl Fn(&User) -> bool) -> Result<usize, StoreError>;

    fn count_users(&self) -> usize;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait UsersTx {
    /// Inserts a new user; aborts with `user.email_taken` if the email is in use.
    fn insert_user(&self, r: &UserRecord) -> Result<(), Abort>;

    /// Reads a user inside the transaction.
    fn user(&self, id: UserId) -> Result<Option<UserRecord>, Abort>;

    /// Replaces `before` by `r`, moving the email index if the email changed; aborts with
    /// `user.not_found` if the user is gone and with `Stale` if it changed since `before` was
    /// read.
    fn update_user(&self, before: &UserRecord, r: &UserRecord) -> Result<(), Abort>;

    /// Removes a user record and its email index row.
    fn delete_user(&self, user: UserId) -> Result<(), Abort>;
}

impl UsersStore for Store {
    fn user(&self, id: UserId) -> Result<Option<UserRecord>, StoreError> {
        Ok(
            get::<StoredUserRecord>(self.tree(TreeId::Users), TreeId::Users, &keys::user(id))?
                .map(UserRecord::from),
        )
    }

    fn user_by_email(&self, email: &Email) -> Result<Option<UserRecord>, StoreError> {
        match self
            .tree(TreeId::UsersByEmail)
            .get(keys::email(email.as_str()))?
        {
            Some(id) => {
                let b: [u8; 16] = id.as_ref().try_into().map_err(|_| {
                    StoreError::corrupt(
                        "users_by_email",
                        email.as_str().as_bytes(),
                        "id is not 16 bytes",
                    )
                })?;
                self.user(UserId::from_bytes(b))
            }
            None => Ok(None),
        }
    }

    fn all_users(&self) -> Result<Vec<User>, StoreError> {
        self.tree(TreeId::Users)
            .iter()
            .map(|item| {
                let (k, v) = item?;
                Ok(decode(&k, &v)?.user)
            })
            .collect()
    }

    fn list_users(
        &self,
        after: Option<&str>,
        limit: usize,
        q: Option<&str>,
    ) -> Result<(Vec<User>, Option<String>), StoreError> {
        let q = q.map(str::to_lowercase).filter(|s| !s.is_empty());
        let start = match after {
            Some(a) => {
                let mut k = keys::email(a);
                k.push(0); // the smallest key after `a`
                k
            }
            None => Vec::new(),
        };
        let mut out = Vec::new();
        for item in self.tree(TreeId::UsersByEmail).range(start..) {
            let (k, id) = item?;
            let b: [u8; 16] = id
                .as_ref()
                .try_into()
                .map_err(|_| StoreError::corrupt("users_by_email", &k, "id is not 16 bytes"))?;
            let Some(rec) = self.user(UserId::from_bytes(b))? else {
                return Err(StoreError::corrupt(
                    "users_by_email",
                    &k,
                    "points to no user",
                ));
            };
            let u = rec.user;
            if let Some(q) = &q {
                if !u.email.as_str().contains(q.as_str())
                    && !u.name.as_str().to_lowercase().contains(q.as_str())
                {
                    continue;
                }
            }
            if out.len() == limit {
                let cursor = out.last().map(|u: &User| u.email.as_str().to_owned());
                return Ok((out, cursor));
            }
            out.push(u);
        }
        Ok((out, None))
    }

    fn count_users_where(&self, pred: impl Fn(&User) -> bool) -> Result<usize, StoreError> {
        let mut n = 0;
        for item in self.tree(TreeId::Users).iter() {
            let (k, v) = item?;
            let r = decode(&k, &v)?;
            if pred(&r.user) {
                n += 1;
            }
        }
        Ok(n)
    }

    fn count_users(&self) -> usize {
        self.tree(TreeId::Users).len()
    }
}

impl UsersTx for Tx<'_> {
    fn insert_user(&self, r: &UserRecord) -> Result<(), Abort> {
        let ek = keys::email(r.user.email.as_str());
        if self.t(TreeId::UsersByEmail).get(&ek)?.is_some() {
            return Err(conflict(codes::USER_EMAIL_TAKEN));
        }
        self.t(TreeId::UsersByEmail)
            .insert(ek, &keys::user(r.user.id))?;
        self.t(TreeId::Users).insert(
            &keys::user(r.user.id),
            codec::encode(&StoredUserRecord::from(r)),
        )?;
        Ok(())
    }

    fn user(&self, id: UserId) -> Result<Option<UserRecord>, Abort> {
        Ok(
            tx_get::<StoredUserRecord>(self.t(TreeId::Users), TreeId::Users, &keys::user(id))?
                .map(UserRecord::from),
        )
    }

    fn update_user(&self, before: &UserRecord, r: &UserRecord) -> Result<(), Abort> {
        let Some(old) = self.user(r.user.id)? else {
            return Err(conflict(codes::USER_NOT_FOUND));
        };
        if old != *before {
            return Err(super::stale(TreeId::Users));
        }
        if old.user.email != r.user.email {
            let ek = keys::email(r.user.email.as_str());
            if self.t(TreeId::UsersByEmail).get(&ek)?.is_some() {
                return Err(conflict(codes::USER_EMAIL_TAKEN));
            }
            self.t(TreeId::UsersByEmail)
                .remove(keys::email(old.user.email.as_str()))?;
            self.t(TreeId::UsersByEmail)
                .insert(ek, &keys::user(r.user.id))?;
        }
        self.t(TreeId::Users).insert(
            &keys::user(r.user.id),
            codec::encode(&StoredUserRecord::from(r)),
        )?;
        Ok(())
    }

    fn delete_user(&self, user: UserId) -> Result<(), Abort> {
        if let Some(r) = self.user(user)? {
            self.t(TreeId::UsersByEmail)
                .remove(keys::email(r.user.email.as_str()))?;
        }
        self.t(TreeId::Users).remove(&keys::user(user))?;
        Ok(())
    }
}
