//! The bare server: actix-web, 2 workers, the same rows serialised with serde (the JSON columns
//! passed through as they are stored). On SQLite one connection per worker; on PostgreSQL one
//! bb8 pool of diesel-async connections, as large as the release binary's default pool.

use std::cell::RefCell;
use std::rc::Rc;

use actix_web::{App, HttpResponse, HttpServer, web};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::AsyncPgConnection;
use diesel_async::pooled_connection::AsyncDieselConnectionManager;
use diesel_async::pooled_connection::bb8::Pool;
use serde::Serialize;
use serde_json::value::RawValue;

#[derive(QueryableByName, Serialize)]
struct Row {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    agent: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = BigInt)]
    priority: i64,
    #[diesel(sql_type = BigInt)]
    attempts: i64,
    #[diesel(sql_type = Text)]
    #[serde(skip)]
    input: String,
    #[diesel(sql_type = Nullable<Text>)]
    #[serde(skip)]
    result: Option<String>,
    #[diesel(sql_type = Text)]
    created_at: String,
}

#[derive(Serialize)]
struct View<'a> {
    #[serde(flatten)]
    row: &'a Row,
    input: &'a RawValue,
    result: Option<&'a RawValue>,
}

#[derive(Serialize)]
struct Page<'a> {
    items: Vec<View<'a>>,
    next_cursor: Option<String>,
}

/// A worker's way to the rows.
enum Store {
    Sqlite(RefCell<SqliteConnection>),
    Postgres(Pool<AsyncPgConnection>),
}

/// Both stores keep `created_at` as text in this query, so the rows serialise alike.
const SQLITE_QUERY: &str = "SELECT id, agent, kind, status, priority, attempts, input, result, \
    CAST(created_at AS TEXT) AS created_at FROM tasks ORDER BY id DESC LIMIT ?";
const POSTGRES_QUERY: &str = "SELECT id, agent, kind, status, priority, attempts, input, result, \
    CAST(created_at AS TEXT) AS created_at FROM tasks ORDER BY id DESC LIMIT $1";

async fn tasks(
    store: web::Data<Rc<Store>>,
    query: web::Query<std::collections::HashMap<String, String>>,
) -> HttpResponse {
    let limit: i64 = query
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(50);
    let rows: Vec<Row> = match &**store.get_ref() {
        Store::Sqlite(conn) => diesel::sql_query(SQLITE_QUERY)
            .bind::<BigInt, _>(limit)
            .load(&mut *conn.borrow_mut())
            .unwrap_or_default(),
        Store::Postgres(pool) => {
            let Ok(mut conn) = pool.get().await else {
                return HttpResponse::ServiceUnavailable().finish();
            };
            diesel_async::RunQueryDsl::load(
                diesel::sql_query(POSTGRES_QUERY).bind::<BigInt, _>(limit),
                &mut *conn,
            )
            .await
            .unwrap_or_default()
        }
    };
    let views: Vec<View> = rows
        .iter()
        .filter_map(|row| {
            Some(View {
                row,
                input: serde_json::from_str(&row.input).ok()?,
                result: row
                    .result
                    .as_deref()
                    .and_then(|r| serde_json::from_str(r).ok()),
            })
        })
        .collect();
    HttpResponse::Ok().json(Page {
        items: views,
        next_cursor: None,
    })
}

async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

pub fn serve() {
    let database = std::env::var("BASELINE_DB").expect("BASELINE_DB");
    let system = actix_web::rt::System::new();
    system.block_on(async move {
        let postgres = match database.strip_prefix("sqlite://") {
            Some(_) => None,
            None => Some(
                Pool::builder()
                    .max_size(10)
                    .build(AsyncDieselConnectionManager::<AsyncPgConnection>::new(
                        database.clone(),
                    ))
                    .await
                    .expect("the bench database"),
            ),
        };
        let server = HttpServer::new(move || {
            let store = match (&postgres, database.strip_prefix("sqlite://")) {
                (Some(pool), _) => Store::Postgres(pool.clone()),
                (None, path) => Store::Sqlite(RefCell::new(
                    SqliteConnection::establish(path.unwrap_or_default())
                        .expect("the bench database"),
                )),
            };
            App::new()
                .app_data(web::Data::new(Rc::new(store)))
                .route("/tasks", web::get().to(tasks))
                .route("/health", web::get().to(health))
        })
        .workers(2)
        .bind(("127.0.0.1", 0))
        .unwrap();
        let port = server.addrs()[0].port();
        eprintln!("bare baseline listening port={port}");
        server.run().await.unwrap();
    });
}
