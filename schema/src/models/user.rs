//! `users`: people and service accounts that log in; permissions are a JSON list.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use serde::Serialize;

use crate::clock::{new_id, now};
use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::json::Json;
use crate::page::{Page, PageRequest};
use crate::schema::users;
use crate::stamp::Stamp;
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: String,
    pub name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub permissions: Json<Vec<String>>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
    /// Login tokens issued (`iat`) before this Unix second are refused.
    pub tokens_valid_after: i64,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub name: Option<String>,
    pub password_hash: Option<String>,
    pub permissions: Option<Json<Vec<String>>>,
    pub tokens_valid_after: Option<i64>,
}

impl User {
    pub async fn create(db: &Db, new: NewUser) -> StoreResult<User> {
        let at = now();
        let user = User {
            id: new_id(),
            email: new.email,
            name: new.name,
            password_hash: new.password_hash,
            permissions: Json(new.permissions),
            created_at: at,
            updated_at: at,
            tokens_valid_after: 0,
        };
        with_conn!(db, |conn| {
            diesel::insert_into(users::table)
                .values(&user)
                .execute(conn)
                .await?;
        });
        Ok(user)
    }

    pub async fn get(db: &Db, id: &str) -> StoreResult<User> {
        with_conn!(db, |conn| Ok(users::table
            .find(id)
            .select(User::as_select())
            .first(conn)
            .await?))
    }

    pub async fn find_by_email(db: &Db, email: &str) -> StoreResult<Option<User>> {
        with_conn!(db, |conn| Ok(users::table
            .filter(users::email.eq(email))
            .select(User::as_select())
            .first(conn)
            .await
            .optional()?))
    }

    pub async fn list(db: &Db, page: &PageRequest) -> StoreResult<Page<User>> {
        let cursor = page.cursor().map(str::to_owned);
        let fetch = page.fetch();
        let rows: Vec<User> = crate::load_rows!(db, {
            let mut query = users::table.select(User::as_select()).into_boxed();
            if let Some(cursor) = cursor {
                query = query.filter(users::id.lt(cursor));
            }
            query.order(users::id.desc()).limit(fetch)
        });
        Ok(Page::from_rows(rows, page, |user| &user.id))
    }

    pub async fn count(db: &Db) -> StoreResult<i64> {
        with_conn!(db, |conn| Ok(users::table.count().get_result(conn).await?))
    }

    pub async fn update(db: &Db, id: &str, changes: &UserChanges) -> StoreResult<User> {
        let updated = with_conn!(db, |conn| diesel::update(users::table.find(id))
            .set((changes, users::updated_at.eq(now())))
            .execute(conn)
            .await?);
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        User::get(db, id).await
    }
}
