//! `api_keys`: scoped keys of a user, stored only as a hash with a public lookup prefix.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::page::{Page, PageRequest};
use crate::schema::api_keys;
use crate::stamp::{MaybeStamp, Stamp};
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = api_keys)]
pub struct ApiKey {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub prefix: String,
    #[serde(skip)]
    pub key_hash: String,
    pub scopes: Json<Vec<String>>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = MaybeStamp)]
    pub last_used_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeStamp)]
    pub expires_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = MaybeStamp)]
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub user_id: String,
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<NaiveDateTime>,
}

impl ApiKey {
    pub async fn create(db: &Db, new: NewApiKey) -> StoreResult<ApiKey> {
        let key = ApiKey {
            id: new_id(),
            user_id: new.user_id,
            name: new.name,
            prefix: new.prefix,
            key_hash: new.key_hash,
            scopes: Json(new.scopes),
            created_at: now(),
            last_used_at: None,
            expires_at: new.expires_at,
            revoked_at: None,
        };
        with_conn!(db, |conn| {
            diesel::insert_into(api_keys::table)
                .values(&key)
                .execute(conn)
                .await?;
        });
        Ok(key)
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<ApiKey> {
        with_conn!(db, |conn| Ok(api_keys::table
            .find(id)
            .select(ApiKey::as_select())
            .first(conn)
            .await?))
    }

    pub async fn find_by_prefix(db: &Db, prefix: &str) -> StoreResult<Option<ApiKey>> {
        with_conn!(db, |conn| Ok(api_keys::table
            .filter(api_keys::prefix.eq(prefix))
            .select(ApiKey::as_select())
            .first(conn)
            .await
            .optional()?))
    }

    pub async fn list_for_user(
        db: &Db,
        user_id: &str,
        page: &PageRequest,
    ) -> StoreResult<Page<ApiKey>> {
        let user_id = user_id.to_owned();
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<ApiKey> = crate::load_rows!(db, {
            let mut query = api_keys::table
                .filter(api_keys::user_id.eq(user_id))
                .select(ApiKey::as_select())
                .into_boxed();
            if let Some(cursor) = cursor {
                query = query.filter(api_keys::id.lt(cursor));
            }
            query.order(api_keys::id.desc()).limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |key| &key.id))
    }

    pub async fn touch_last_used(db: &Db, id: &str) -> StoreResult<()> {
        let at = now();
        with_conn!(db, |conn| {
            diesel::update(api_keys::table.find(id))
                .set(api_keys::last_used_at.eq(at))
                .execute(conn)
                .await?;
        });
        Ok(())
    }

    /// Marks the key revoked; revoking twice keeps the first time. Not found when no such key.
    pub async fn revoke(db: &Db, id: &str) -> StoreResult<ApiKey> {
        let at = now();
        let updated = with_conn!(db, |conn| diesel::update(
            api_keys::table
                .find(id)
                .filter(api_keys::revoked_at.is_null())
        )
        .set(api_keys::revoked_at.eq(at))
        .execute(conn)
        .await?);
        let key = ApiKey::get(db, id).await?;
        if updated == 0 && key.revoked_at.is_none() {
            return Err(StoreError::NotFound);
        }
        Ok(key)
    }
}
